"""Benchmarks (not tests): each module's main() prints its figures; `make bench` runs them all."""

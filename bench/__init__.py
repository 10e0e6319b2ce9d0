"""Benchmarks (not tests): each module's main() prints its figures; `make bench` runs them all."""

import os

# One BLAS thread per process, set before numpy loads: per-chat models are small, and
# OpenBLAS's thread pool on a busy machine made each 200 x 200 solve ~100x slower
# (bench ranking_scale, measured 2026-12-01).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

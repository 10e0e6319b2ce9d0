"""Startup and platforms: the only package importing telegram, discord and apscheduler."""

import os

# One BLAS thread per process, set before numpy loads (handlers.relevance): per-chat ranking
# models are small and OpenBLAS's thread pool on a busy machine made them ~100x slower.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

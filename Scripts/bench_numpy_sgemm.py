#!/usr/bin/env python3
"""The peer for `vtg bench`'s sgemm rows: numpy's float32 matmul on the same shapes.

Usage: python3 Scripts/bench_numpy_sgemm.py THREADS
Sets OPENBLAS_NUM_THREADS before numpy loads; prints the median GFLOP/s per shape. Not used by the
build or the tests; for benchmark notes only.
"""
import os
import sys
import time

threads = sys.argv[1] if len(sys.argv) > 1 else "1"
os.environ["OPENBLAS_NUM_THREADS"] = threads
import numpy as np  # noqa: E402


def median_seconds(function, minimum_seconds=0.5, minimum_repetitions=5):
    function()
    function()
    times = []
    while len(times) < minimum_repetitions or sum(times) < minimum_seconds:
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    times.sort()
    return times[len(times) // 2]


rng = np.random.default_rng(1)
for m, n, k in [(2048, 384, 384), (2048, 1536, 384), (2048, 384, 1536), (512, 512, 512)]:
    a = rng.standard_normal((m, k), dtype=np.float32)
    b = rng.standard_normal((k, n), dtype=np.float32)
    seconds = median_seconds(lambda: a @ b)
    print(f"numpy sgemm {m}x{n}x{k}: {2 * m * n * k / seconds / 1e9:.1f} GFLOP/s (threads {threads})")
a = rng.standard_normal((64, 128, 64), dtype=np.float32)
b = rng.standard_normal((64, 64, 128), dtype=np.float32)
seconds = median_seconds(lambda: np.matmul(a, b))
print(f"numpy sgemm 64 x (128x128x64) batched: {64 * 2 * 128 * 128 * 64 / seconds / 1e9:.1f} GFLOP/s (threads {threads})")

#!/usr/bin/env python3
"""The PyTorch peer of `NeuralNetBenchmark` (vtg bench): the same 4-layer pre-LN encoder training
step (hidden 256, 4 heads, feed-forward 1024, GELU, dropout 0.1, batch 32 x sequence 160,
loss = mean(output^2), AdamW), timed the same way (median of 7 steps after 2 warm-up steps).

Usage: python3 Scripts/peer_pytorch_encoder_step.py [threads ...]   (default: 1 2)
"""
import statistics
import sys
import time

import torch

FLOPS_PER_STEP = 3 * 4 * (4 * 2 * 5120 * 256 * 256 + 2 * 2 * 5120 * 256 * 1024 + 2 * 2 * 32 * 160 * 160 * 256)


def measure(threads: int) -> None:
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    layer = torch.nn.TransformerEncoderLayer(
        d_model=256, nhead=4, dim_feedforward=1024, dropout=0.1, activation="gelu",
        batch_first=True, norm_first=True)
    encoder = torch.nn.TransformerEncoder(layer, num_layers=4, enable_nested_tensor=False)
    encoder.train()
    optimizer = torch.optim.AdamW(encoder.parameters(), lr=1e-4, weight_decay=0.01)
    inputs = torch.rand(32, 160, 256) * 2 - 1

    def step() -> None:
        loss = encoder(inputs).pow(2).mean()
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)

    for _ in range(2):
        step()
    times = []
    for _ in range(7):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    print(f"pytorch {torch.__version__} encoder step, {threads} thread(s): {median * 1000:.1f} ms "
          f"(best {min(times) * 1000:.1f}), {32 / median:.1f} samples/s, "
          f"{FLOPS_PER_STEP / median / 1e9:.1f} GFLOP/s")


if __name__ == "__main__":
    for count in [int(argument) for argument in sys.argv[1:]] or [1, 2]:
        measure(count)

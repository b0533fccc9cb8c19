#!/usr/bin/env python3
"""The peer for `vtg bench`'s CLIP image encoder rows: transformers' CLIPVisionModelWithProjection.

Usage: python3 Scripts/bench_clip_vision.py [THREADS ...] [--seconds S]

Builds a ViT-B/32-sized `CLIPVisionModelWithProjection` with random weights (image 224, patch 32,
width 768, 12 layers of 12 heads, MLP 3072, projection 512; the sizes of
`CLIPVisionBenchmark`), in PyTorch float32 on the CPU, and for each thread count (default 1 and
2) sets `torch.set_num_threads`, encodes a batch of 32 random 224x224 images under
`torch.inference_mode()` (timed by `torch.utils.benchmark`: a warm-up pass, then blocks of
passes for at least S seconds, default 3) and prints the median frames/s and the best time. Not
used by the build or the tests; for benchmark notes only. Run it in the same sitting as
`vtg bench` and compare the ratio: the machine is shared.
"""
import argparse

import torch
from torch.utils import benchmark
from transformers import CLIPVisionConfig, CLIPVisionModelWithProjection

BATCH = 32


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("threads", nargs="*", type=int, default=[1, 2])
    parser.add_argument("--seconds", type=float, default=3.0)
    arguments = parser.parse_args()

    torch.manual_seed(1)
    configuration = CLIPVisionConfig(
        image_size=224, patch_size=32, hidden_size=768, num_hidden_layers=12,
        num_attention_heads=12, intermediate_size=3072, projection_dim=512,
        hidden_act="quick_gelu")
    model = CLIPVisionModelWithProjection(configuration).eval()
    pixels = torch.randn(BATCH, 3, 224, 224)
    print(f"torch {torch.__version__}, attention {model.config._attn_implementation}, "
          f"MKL {torch.backends.mkl.is_available()}, mkldnn {torch.backends.mkldnn.is_available()}")
    for threads in arguments.threads:
        torch.set_num_threads(threads)
        timer = benchmark.Timer(
            stmt="with torch.inference_mode(): model(pixel_values=pixels).image_embeds",
            globals=dict(torch=torch, model=model, pixels=pixels), num_threads=threads)
        with torch.inference_mode():
            model(pixel_values=pixels)  # warm-up
        measurement = timer.blocked_autorange(min_run_time=arguments.seconds)
        seconds, best = measurement.median, min(measurement.raw_times) / measurement.number_per_run
        print(f"transformers CLIPVisionModelWithProjection ViT-B/32, batch {BATCH}, "
              f"threads {threads}: {BATCH / seconds:.2f} frames/s (median {seconds * 1e3:.0f} ms, "
              f"best {best * 1e3:.0f} ms per batch)")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The peer for `vtg bench`'s CLIP text encoder rows: transformers' CLIPTokenizer and
CLIPTextModelWithProjection.

Usage: python3 Scripts/bench_clip_text.py [THREADS ...] [--seconds S] [--vocabulary GZ]

Builds a ViT-B/32-sized `CLIPTextModelWithProjection` with random weights (vocabulary 49,408,
77 positions, width 512, 12 layers of 8 heads, MLP 2048, projection 512, quick_gelu; the sizes of
`CLIPTextBenchmark`), in PyTorch float32 on the CPU, and the `CLIPTokenizer` of the original
vocabulary GZ (default .test-data/bpe_simple_vocab_16e6.txt.gz, converted as
Scripts/make_clip_tokenizer_golden.py does). For each thread count (default 1 and 2) it sets
`torch.set_num_threads` and times, under `torch.inference_mode()` with `torch.utils.benchmark`
(a warm-up, then blocks of runs for at least S seconds, default 2), tokenising and encoding the
64 benchmark queries (the templates of `TextEncodingBenchmark.queries`) as one padded batch, and
one query; it prints queries/s and ms/query (medians) and the best time. Not used by the build or
the tests; run it in the same sitting as `vtg bench --clip-text-only` and compare the ratio.
"""
import argparse
import importlib.util
import os
import tempfile

import torch
from torch.utils import benchmark
from transformers import CLIPTextConfig, CLIPTextModelWithProjection, CLIPTokenizer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def queries():
    """TextEncodingBenchmark.queries: 64 templated video-moment queries."""
    subjects = ["a person", "the man", "a young woman", "someone", "the child", "an old man",
                "the woman", "a boy"]
    verbs = ["opens", "picks up", "puts down", "looks at", "throws", "holds", "closes", "washes"]
    objects = ["the wooden door", "a small book", "the blue cup", "a dirty towel",
               "the laptop bag", "a glass of water", "the kitchen window", "an old pillow"]
    places = ["in the kitchen", "near the sofa", "at the table", "in the bedroom",
              "by the window", "in the hallway", "on the bed", "next to the sink"]
    endings = ["and smiles.", "then leaves.", "while talking.", "and sits down."]
    return [" ".join([subjects[i % 8], verbs[i // 8], objects[(3 * i + 1) % 8],
                      places[(5 * i + 2) % 8], endings[(i // 2 + i // 8) % 4]])
            for i in range(64)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("threads", nargs="*", type=int, default=[1, 2])
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--vocabulary",
                        default=os.path.join(ROOT, ".test-data", "bpe_simple_vocab_16e6.txt.gz"))
    arguments = parser.parse_args()

    spec = importlib.util.spec_from_file_location(
        "tokenizer_golden", os.path.join(ROOT, "Scripts", "make_clip_tokenizer_golden.py"))
    tokenizer_golden = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tokenizer_golden)
    with tempfile.TemporaryDirectory() as directory:
        tokenizer_golden.convert_vocabulary(arguments.vocabulary, directory)
        tokenizer = CLIPTokenizer.from_pretrained(directory)

    torch.manual_seed(1)
    model = CLIPTextModelWithProjection(CLIPTextConfig(
        vocab_size=49408, max_position_embeddings=77, hidden_size=512, num_hidden_layers=12,
        num_attention_heads=8, intermediate_size=2048, projection_dim=512,
        hidden_act="quick_gelu")).eval()
    texts = queries()

    def encode(batch):
        inputs = tokenizer(batch, padding=True, truncation=True, max_length=77,
                           return_tensors="pt")
        return model(**inputs).text_embeds

    tokens = sum(len(ids) for ids in tokenizer(texts)["input_ids"])
    print(f"torch {torch.__version__}, attention {model.config._attn_implementation}, "
          f"64 queries, {tokens} tokens")
    for threads in arguments.threads:
        torch.set_num_threads(threads)
        for name, batch in [("batch of 64", texts), ("one query", texts[:1])]:
            timer = benchmark.Timer(
                stmt="with torch.inference_mode(): encode(batch)",
                globals=dict(torch=torch, encode=encode, batch=batch), num_threads=threads)
            with torch.inference_mode():
                encode(batch)  # warm-up
            measurement = timer.blocked_autorange(min_run_time=arguments.seconds)
            seconds = measurement.median
            best = min(measurement.raw_times) / measurement.number_per_run
            rate = (f"{len(batch) / seconds:.1f} queries/s" if len(batch) > 1
                    else f"{seconds * 1e3:.2f} ms/query")
            print(f"transformers CLIPTextModelWithProjection ViT-B/32 text, {name}, "
                  f"threads {threads}: {rate} (median {seconds * 1e3:.2f} ms, "
                  f"best {best * 1e3:.2f} ms)")


if __name__ == "__main__":
    main()

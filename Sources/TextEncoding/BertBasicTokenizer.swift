/// BERT's basic tokenizer for uncased models: normalise the text, then split it into words, as
/// the reference does it (Hugging Face `tokenizers`: `BertNormalizer` then `BertPreTokenizer`).
///
/// Normalisation, on Unicode scalars (code points), never on `Character`s, whose grapheme
/// clustering would change the result:
/// 1. clean: drop NUL, U+FFFD and control/format/private-use characters; whitespace → U+0020;
/// 2. put a space on each side of every CJK ideograph;
/// 3. NFD over the whole text (full canonical decomposition, then canonical reordering of each
///    run of combining marks by combining class), then drop the non-spacing marks (accents);
/// 4. lower-case each scalar (no context-dependent final sigma, like the reference).
/// Word splitting: whitespace separates words; each punctuation scalar is a word of its own.
///
/// The per-character facts come from `BertUnicodeTables`, read off the reference.
struct BertBasicTokenizer: Sendable {
    private let tables = BertUnicodeTables.shared

    /// Normalises `input` and appends the result to `output`; `stage` is scratch space, passed in
    /// so that encoding many texts reuses one buffer.
    func normalize(
        _ input: some Sequence<UInt32>, into output: inout [UInt32], stage: inout [UInt32]
    ) {
        stage.removeAll(keepingCapacity: true)
        var needsReordering = false
        for original in input {
            var scalar = original
            var properties = tables.properties(of: scalar)
            if properties.contains(.removedByCleaning) { continue }
            if properties.contains(.whitespaceForCleaning) {
                scalar = 0x20
                properties = tables.properties(of: scalar)
            }
            let isChinese = properties.contains(.chinese)
            if isChinese { stage.append(0x20) }
            if properties.contains(.decomposes) {
                if let decomposition = tables.decompositions[scalar] {
                    for part in decomposition {
                        stage.append(part)
                        needsReordering =
                            needsReordering || tables.properties(of: part).contains(.nonStarter)
                    }
                } else {
                    appendHangulDecomposition(of: scalar, to: &stage)
                }
            } else {
                stage.append(scalar)
                needsReordering = needsReordering || properties.contains(.nonStarter)
            }
            if isChinese { stage.append(0x20) }
        }
        if needsReordering { reorderCanonically(&stage) }
        for scalar in stage {
            let properties = tables.properties(of: scalar)
            if properties.contains(.nonspacingMark) { continue }
            if properties.contains(.hasLowercase), let lowercase = tables.lowercaseMap[scalar] {
                output.append(contentsOf: lowercase)
            } else {
                output.append(scalar)
            }
        }
    }

    /// Calls `body` with the range of each word of the normalised `scalars`, in order, until it
    /// returns false.
    func forEachWord(in scalars: [UInt32], _ body: (Range<Int>) -> Bool) {
        var wordStart: Int? = nil
        for index in scalars.indices {
            let properties = tables.properties(of: scalars[index])
            let isWhitespace = properties.contains(.whitespace)
            let isPunctuation = properties.contains(.punctuation)
            guard isWhitespace || isPunctuation else {
                if wordStart == nil { wordStart = index }
                continue
            }
            if let start = wordStart {
                guard body(start..<index) else { return }
                wordStart = nil
            }
            if isPunctuation {
                guard body(index..<index + 1) else { return }
            }
        }
        if let start = wordStart { _ = body(start..<scalars.count) }
    }

    /// Leading consonant, vowel and (when present) trailing consonant of a Hangul syllable.
    private func appendHangulDecomposition(of syllable: UInt32, to stage: inout [UInt32]) {
        let index = syllable - BertUnicodeTables.hangulSyllables.lowerBound
        let trailingCount: UInt32 = 28
        let vowelCount: UInt32 = 21
        stage.append(0x1100 + index / (vowelCount * trailingCount))
        stage.append(0x1161 + (index % (vowelCount * trailingCount)) / trailingCount)
        let trailing = index % trailingCount
        if trailing != 0 { stage.append(0x11A7 + trailing) }
    }

    /// Canonical ordering: a stable sort by combining class within each run of non-starters.
    private func reorderCanonically(_ scalars: inout [UInt32]) {
        func combiningClass(_ scalar: UInt32) -> UInt8 {
            tables.properties(of: scalar).contains(.nonStarter)
                ? tables.combiningClasses[scalar] ?? 0 : 0
        }
        var runStart = 0
        while runStart < scalars.count {
            guard combiningClass(scalars[runStart]) != 0 else {
                runStart += 1
                continue
            }
            var runEnd = runStart + 1
            while runEnd < scalars.count, combiningClass(scalars[runEnd]) != 0 { runEnd += 1 }
            // Insertion sort: runs are a few marks long, and it is stable.
            for index in (runStart + 1)..<runEnd {
                let scalar = scalars[index]
                let value = combiningClass(scalar)
                var position = index
                while position > runStart, combiningClass(scalars[position - 1]) > value {
                    scalars[position] = scalars[position - 1]
                    position -= 1
                }
                scalars[position] = scalar
            }
            runStart = runEnd
        }
    }
}

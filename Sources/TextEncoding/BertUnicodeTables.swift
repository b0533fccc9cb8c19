/// Per-character facts of the reference BERT normaliser and pre-tokenizer (Hugging Face
/// `tokenizers`), parsed once from the generated tables of `BertUnicodeTables+Data.swift`.
///
/// The tables come from the reference itself, one code point at a time
/// (Scripts/make_bert_unicode_tables.py), not from the Swift toolchain's Unicode properties: the
/// reference classifies characters with older Unicode data, and the two disagree on about a
/// thousand code points. With these tables the tokenizer matches the reference on every code
/// point, whatever the toolchain's Unicode version.
struct BertUnicodeTables: Sendable {
    /// What the normaliser and pre-tokenizer do with one code point.
    struct Properties: OptionSet, Sendable {
        let rawValue: UInt16

        /// Dropped by text cleaning (control, format, private use, NUL, U+FFFD).
        static let removedByCleaning = Properties(rawValue: 1 << 0)
        /// Turned into U+0020 by text cleaning.
        static let whitespaceForCleaning = Properties(rawValue: 1 << 1)
        /// A CJK ideograph: gets a space on each side.
        static let chinese = Properties(rawValue: 1 << 2)
        /// Has a canonical decomposition (in `decompositions`, or a Hangul syllable).
        static let decomposes = Properties(rawValue: 1 << 3)
        /// Has a non-zero canonical combining class (in `combiningClasses`).
        static let nonStarter = Properties(rawValue: 1 << 4)
        /// A non-spacing mark, dropped when stripping accents.
        static let nonspacingMark = Properties(rawValue: 1 << 5)
        /// Has a lower-case mapping (in `lowercaseMap`).
        static let hasLowercase = Properties(rawValue: 1 << 6)
        /// Punctuation for the pre-tokenizer: a one-character word.
        static let punctuation = Properties(rawValue: 1 << 7)
        /// Whitespace for the pre-tokenizer: separates words.
        static let whitespace = Properties(rawValue: 1 << 8)
    }

    /// The tables, parsed on first use (thread-safe lazy initialisation of a static).
    static let shared = BertUnicodeTables()

    /// First and last Hangul syllable, decomposed algorithmically (Unicode §3.12).
    static let hangulSyllables: ClosedRange<UInt32> = 0xAC00...0xD7A3

    /// Canonical decompositions, except Hangul syllables.
    let decompositions: [UInt32: [UInt32]]
    /// Lower-case mappings (one to three code points).
    let lowercaseMap: [UInt32: [UInt32]]
    /// Canonical combining classes of the non-starters.
    let combiningClasses: [UInt32: UInt8]

    /// Properties of U+0000 to U+FFFF, indexed by code point.
    private let basicPlane: [Properties]
    /// Properties above U+FFFF: per property, sorted disjoint ranges.
    private let supplementary: [(property: Properties, ranges: [ClosedRange<UInt32>])]

    /// The properties of the code point `scalar`.
    @inline(__always)
    func properties(of scalar: UInt32) -> Properties {
        if scalar < 0x10000 { return basicPlane[Int(scalar)] }
        var result: Properties = []
        for (property, ranges) in supplementary where Self.contains(ranges, scalar) {
            result.insert(property)
        }
        return result
    }

    private init() {
        decompositions = Self.parseMap(Self.canonicalDecompositions)
        lowercaseMap = Self.parseMap(Self.lowercaseMappings)
        let classRanges = Self.parseClasses(Self.canonicalCombiningClasses)
        var classes: [UInt32: UInt8] = [:]
        for (range, value) in classRanges {
            for scalar in range { classes[scalar] = value }
        }
        combiningClasses = classes

        func points(_ keys: Dictionary<UInt32, some Any>.Keys) -> [ClosedRange<UInt32>] {
            keys.sorted().map { $0...$0 }
        }
        let rangeTables: [(Properties, [ClosedRange<UInt32>])] = [
            (.removedByCleaning, Self.parseRanges(Self.removedByCleaningText)),
            (.whitespaceForCleaning, Self.parseRanges(Self.whitespaceForCleaning)),
            (.chinese, Self.parseRanges(Self.chineseCharacters)),
            (.decomposes, points(decompositions.keys) + [Self.hangulSyllables]),
            (.nonStarter, classRanges.map(\.range)),
            (.nonspacingMark, Self.parseRanges(Self.nonspacingMarks)),
            (.hasLowercase, points(lowercaseMap.keys)),
            (.punctuation, Self.parseRanges(Self.punctuationCharacters)),
            (.whitespace, Self.parseRanges(Self.whitespaceCharacters)),
        ]
        var plane = [Properties](repeating: [], count: 0x10000)
        var above: [(property: Properties, ranges: [ClosedRange<UInt32>])] = []
        for (property, ranges) in rangeTables {
            var high: [ClosedRange<UInt32>] = []
            for range in ranges {
                if range.lowerBound < 0x10000 {
                    for scalar in range.lowerBound...min(range.upperBound, 0xFFFF) {
                        plane[Int(scalar)].insert(property)
                    }
                }
                if range.upperBound >= 0x10000 {
                    high.append(max(range.lowerBound, 0x10000)...range.upperBound)
                }
            }
            high.sort { $0.lowerBound < $1.lowerBound }
            if !high.isEmpty { above.append((property, high)) }
        }
        basicPlane = plane
        supplementary = above
    }

    /// Whether sorted disjoint `ranges` contain `scalar` (binary search).
    private static func contains(_ ranges: [ClosedRange<UInt32>], _ scalar: UInt32) -> Bool {
        var low = 0
        var high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].upperBound < scalar {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low < ranges.count && ranges[low].contains(scalar)
    }

    // MARK: Parsing the generated text

    private static func words(_ text: String) -> [Substring] {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" })
    }

    private static func codePoint(_ text: Substring) -> UInt32 {
        guard let value = UInt32(text, radix: 16) else {
            preconditionFailure("BertUnicodeTables: malformed generated code point '\(text)'")
        }
        return value
    }

    /// `FIRST-LAST` and `POINT` words.
    private static func parseRanges(_ text: String) -> [ClosedRange<UInt32>] {
        words(text).map { word in
            let bounds = word.split(separator: "-")
            return codePoint(bounds[0])...codePoint(bounds[bounds.count - 1])
        }
    }

    /// `POINT:MAPPED,MAPPED` words.
    private static func parseMap(_ text: String) -> [UInt32: [UInt32]] {
        var map: [UInt32: [UInt32]] = [:]
        for word in words(text) {
            let parts = word.split(separator: ":")
            map[codePoint(parts[0])] = parts[1].split(separator: ",").map(codePoint)
        }
        return map
    }

    /// `FIRST-LAST=CLASS` words.
    private static func parseClasses(_ text: String) -> [(range: ClosedRange<UInt32>, value: UInt8)]
    {
        words(text).map { word in
            let parts = word.split(separator: "=")
            guard let value = UInt8(parts[1]) else {
                preconditionFailure("BertUnicodeTables: malformed generated class '\(word)'")
            }
            return (parseRanges(String(parts[0]))[0], value)
        }
    }
}

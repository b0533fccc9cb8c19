import Testing

@testable import TextEncoding

@Suite struct BertUnicodeTablesTests {
    private let tables = BertUnicodeTables.shared

    @Test func asciiPunctuationIsBertsSymbolRanges() {
        // BERT's _is_punctuation: ASCII 33–47, 58–64, 91–96, 123–126.
        let symbols = Set(Array(33...47) + Array(58...64) + Array(91...96) + Array(123...126))
        for scalar in UInt32(0)..<128 {
            #expect(
                tables.properties(of: scalar).contains(.punctuation)
                    == symbols.contains(Int(scalar)),
                "U+\(String(scalar, radix: 16))")
        }
    }

    @Test func cleaningDropsControlsButKeepsTabsAndNewlines() {
        for scalar: UInt32 in [0x00, 0x01, 0x1F, 0x7F, 0x85, 0xAD, 0x200B, 0xFEFF, 0xFFFD, 0xE000] {
            #expect(
                tables.properties(of: scalar).contains(.removedByCleaning),
                "U+\(String(scalar, radix: 16))")
        }
        for scalar: UInt32 in [0x09, 0x0A, 0x0D, 0x20, 0xA0, 0x3000] {
            let properties = tables.properties(of: scalar)
            #expect(!properties.contains(.removedByCleaning), "U+\(String(scalar, radix: 16))")
            #expect(scalar == 0x20 || properties.contains(.whitespaceForCleaning))
        }
    }

    /// The reference's CJK ranges, typo included: Extension E is 0x2B820–0x2CEAF, but the
    /// reference starts at 0x2B920, so 0x2B820–0x2B91F are not split off.
    @Test func chineseRangesFollowTheReference() {
        for scalar: UInt32 in [0x4E00, 0x9FFF, 0x3400, 0xF900, 0x20000, 0x2B740, 0x2B920, 0x2F800] {
            #expect(
                tables.properties(of: scalar).contains(.chinese), "U+\(String(scalar, radix: 16))")
        }
        for scalar: UInt32 in [0x3041, 0xAC00, 0x2B820, 0x2B91F, 0x3000] {
            #expect(
                !tables.properties(of: scalar).contains(.chinese), "U+\(String(scalar, radix: 16))")
        }
    }

    @Test func knowsDecompositionsMarksAndCases() {
        #expect(tables.decompositions[0xE9] == [0x65, 0x301])  // é → e + acute
        #expect(tables.properties(of: 0x301).contains(.nonspacingMark))
        #expect(tables.properties(of: 0xAC00).contains(.decomposes))  // Hangul, algorithmic
        #expect(tables.lowercaseMap[0x41] == [0x61])
        #expect(tables.lowercaseMap[0x130] == [0x69, 0x307])  // İ → i + dot above
        #expect(tables.combiningClasses[0x301] == 230)
        #expect(tables.properties(of: 0x1D165).contains(.nonStarter))  // musical stem, class 216
        #expect(!tables.properties(of: 0x1D165).contains(.nonspacingMark))
    }
}

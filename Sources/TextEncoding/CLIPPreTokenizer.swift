import Foundation

/// The text normalisation and word splitting of CLIP's tokenizer, as transformers'
/// `CLIPTokenizer` (backed by the `tokenizers` library) does them; ftfy is not part of it.
///
/// 1. Unicode NFC; white space runs become one space (this does not change the ids: spaces are
///    dropped by the split below, so it is not done); every code point lower-cased by its full
///    Unicode mapping, one by one (`İ` → `i̇`; a final `Σ` becomes `σ`, not `ς`).
/// 2. The split keeps the matches of, tried in this order at each position,
///    `<|startoftext|>` | `<|endoftext|>` | `'s` | `'t` | `'re` | `'ve` | `'m` | `'ll` | `'d` |
///    `\p{L}+` | `\p{N}` | `[^\s\p{L}\p{N}]+` and drops the rest (white space). Then GPT-2's
///    byte-level split runs on each piece; it changes only the two special-token pieces, which it
///    cuts into `<|`, the letters and `|>`.
///
/// Letters are the general categories L*, numbers N* (one code point per piece: "2024" is four
/// pieces), white space the `White_Space` property, all by Swift's Unicode tables.
struct CLIPPreTokenizer: Sendable {
    /// `text` in NFC, lower-cased code point by code point.
    func normalized(_ text: String) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(text.unicodeScalars.count)
        let composed =
            text.unicodeScalars.allSatisfy(\.isASCII)
            ? text : text.precomposedStringWithCanonicalMapping
        for scalar in composed.unicodeScalars {
            if scalar.isASCII {
                result.append(
                    scalar.value >= 0x41 && scalar.value <= 0x5A
                        ? Unicode.Scalar(UInt8(scalar.value + 0x20)) : scalar)
            } else {
                result += scalar.properties.lowercaseMapping.unicodeScalars
            }
        }
        return result
    }

    /// Calls `body` with each piece of the normalised `scalars`, in order, until it returns false.
    func forEachPiece(
        in scalars: [Unicode.Scalar], _ body: (ArraySlice<Unicode.Scalar>) -> Bool
    ) {
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if let name = Self.specialTokenName(at: index, in: scalars) {
                // "<|", the letters, "|>".
                let letters = index + 2..<index + 2 + name.count
                guard body(scalars[index..<index + 2]), body(scalars[letters]),
                    body(scalars[letters.upperBound..<letters.upperBound + 2])
                else { return }
                index = letters.upperBound + 2
                continue
            }
            var end = index + 1
            if let length = Self.contractionLength(at: index, in: scalars) {
                end = index + length
            } else if Self.isLetter(scalar) {
                while end < scalars.count && Self.isLetter(scalars[end]) { end += 1 }
            } else if Self.isNumber(scalar) {
                end = index + 1
            } else if scalar.properties.isWhitespace {
                index += 1
                continue
            } else {
                while end < scalars.count && Self.isOther(scalars[end]) { end += 1 }
            }
            guard body(scalars[index..<end]) else { return }
            index = end
        }
    }

    /// The letters of the special token written (lower-case) at `index`, if any.
    private static func specialTokenName(at index: Int, in scalars: [Unicode.Scalar])
        -> [Unicode.Scalar]?
    {
        guard scalars[index] == "<", index + 1 < scalars.count, scalars[index + 1] == "|" else {
            return nil
        }
        for name in specialTokenNames {
            let end = index + 2 + name.count
            if end + 2 <= scalars.count, scalars[index + 2..<end].elementsEqual(name),
                scalars[end] == "|", scalars[end + 1] == ">"
            {
                return name
            }
        }
        return nil
    }

    private static let specialTokenNames: [[Unicode.Scalar]] = [
        Array("startoftext".unicodeScalars), Array("endoftext".unicodeScalars),
    ]

    /// The length of the contraction (`'s`, `'t`, `'re`, `'ve`, `'m`, `'ll`, `'d`) at `index`.
    private static func contractionLength(at index: Int, in scalars: [Unicode.Scalar]) -> Int? {
        guard scalars[index] == "'", index + 1 < scalars.count else { return nil }
        switch scalars[index + 1] {
        case "s", "t", "m", "d": return 2
        case "r", "v":
            return index + 2 < scalars.count && scalars[index + 2] == "e" ? 3 : nil
        case "l":
            return index + 2 < scalars.count && scalars[index + 2] == "l" ? 3 : nil
        default: return nil
        }
    }

    /// `\p{L}`: a letter of any case or kind.
    static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            return (scalar.value | 0x20) >= 0x61 && (scalar.value | 0x20) <= 0x7A
        }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return true
        default: return false
        }
    }

    /// `\p{N}`: a decimal digit, letter number or other number.
    static func isNumber(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return scalar.value >= 0x30 && scalar.value <= 0x39 }
        switch scalar.properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber: return true
        default: return false
        }
    }

    /// `[^\s\p{L}\p{N}]`.
    static func isOther(_ scalar: Unicode.Scalar) -> Bool {
        !isLetter(scalar) && !isNumber(scalar) && !scalar.properties.isWhitespace
    }
}

/// GPT-2's byte-to-unicode table, which CLIP's BPE uses: every byte is written as one printable
/// character, so vocabulary entries and merges are plain text.
///
/// The printable bytes `!`…`~`, `¡`…`¬` and `®`…`ÿ` stand for themselves; the other 68 bytes, in
/// increasing order, take the code points from U+0100 up (byte 0 → `Ā`, space → `Ġ`).
public enum ByteLevelAlphabet {
    /// The character that stands for each byte, indexed by the byte.
    public static let characters: [Unicode.Scalar] = {
        var printable = Set<UInt32>()
        for range in [0x21...0x7E, 0xA1...0xAC, 0xAE...0xFF] as [ClosedRange<UInt32>] {
            printable.formUnion(range)
        }
        var next: UInt32 = 0x100
        return (0..<256).map { byte -> Unicode.Scalar in
            if printable.contains(UInt32(byte)) { return Unicode.Scalar(UInt8(byte)) }
            defer { next += 1 }
            // next stays below U+0144: always a valid scalar.
            guard let scalar = Unicode.Scalar(next) else {
                preconditionFailure("ByteLevelAlphabet: U+\(next) is not a scalar")
            }
            return scalar
        }
    }()

    /// The byte each character stands for, keyed by code point.
    public static let bytes: [UInt32: UInt8] = Dictionary(
        uniqueKeysWithValues: characters.enumerated().map { ($1.value, UInt8($0)) })

    /// The bytes that `text` spells in this alphabet, or nil when it holds another character.
    public static func decode(_ text: Substring) -> [UInt8]? {
        var result: [UInt8] = []
        result.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            guard let byte = bytes[scalar.value] else { return nil }
            result.append(byte)
        }
        return result
    }
}

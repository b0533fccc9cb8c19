/// GPT-2's byte-to-unicode table, which CLIP's BPE uses: every byte is written as one printable
/// character, so vocabulary entries and merges are plain text.
///
/// The printable bytes `!`…`~`, `¡`…`¬` and `®`…`ÿ` stand for themselves; the other 68 bytes, in
/// increasing order, take the code points from U+0100 up (byte 0 → `Ā`, space → `Ġ`).
public enum ByteLevelAlphabet {
    /// The printable bytes, which stand for themselves.
    private static let printable: Set<UInt8> = Set(
        ([0x21...0x7E, 0xA1...0xAC, 0xAE...0xFF] as [ClosedRange<UInt8>]).joined())

    /// The bytes in the order GPT-2's `bytes_to_unicode` lists them, which is the order of the
    /// first 256 tokens of CLIP's vocabulary: the printable bytes ascending, then the others.
    public static let vocabularyOrder: [UInt8] =
        (0...255).filter { printable.contains($0) } + (0...255).filter { !printable.contains($0) }

    /// The character that stands for each byte, indexed by the byte.
    public static let characters: [Unicode.Scalar] = {
        var next: UInt32 = 0x100
        return (0...255).map { (byte: UInt8) -> Unicode.Scalar in
            if printable.contains(byte) { return Unicode.Scalar(byte) }
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

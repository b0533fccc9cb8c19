import VTGCore

/// Seeded mutations of a seed input, in the spirit of libFuzzer's mutators (bit flips, byte
/// sets, "interesting" integers, deletions, insertions, duplicated chunks, truncations and
/// splices of two seeds), for the fuzz smoke of `make test`: the same seed and generator give the
/// same inputs on every run, so a failure there is reproducible without libFuzzer.
public struct FuzzMutator {
    /// Byte values that tend to reach edge cases: zero, the ends of signed and unsigned ranges,
    /// and the characters JSON, CSV and Python-tuple headers are made of.
    public static let interestingBytes: [UInt8] = [
        0x00, 0x01, 0x7F, 0x80, 0xFF, 0xFE, UInt8(ascii: "-"), UInt8(ascii: "9"),
        UInt8(ascii: ","), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\""),
        UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "["), UInt8(ascii: "]"),
        UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: " "), UInt8(ascii: "e"),
    ]
    /// Little-endian integers that tend to overflow sizes and offsets.
    public static let interestingIntegers: [UInt64] = [
        0, 1, 0x7F, 0xFF, 0x7FFF, 0xFFFF, 0x7FFF_FFFF, 0xFFFF_FFFF, 0x7FFF_FFFF_FFFF_FFFF,
        UInt64.max, 1 << 32, 1 << 62,
    ]
    /// The most mutations stacked on one input.
    public static let maximumStackedMutations = 4

    private var generator: SeededGenerator

    /// A mutator drawing from `generator`.
    public init(generator: SeededGenerator) {
        self.generator = generator
    }

    /// A mutated copy of `seed`, with up to `maximumStackedMutations` mutations; `other` is the
    /// seed a splice takes its second half from.
    public mutating func mutate(_ seed: [UInt8], splicingWith other: [UInt8]) -> [UInt8] {
        var bytes = seed
        let count = Int.random(in: 1...Self.maximumStackedMutations, using: &generator)
        for _ in 0..<count {
            bytes = mutateOnce(bytes, other: other)
        }
        return bytes
    }

    /// One mutation of `bytes`.
    private mutating func mutateOnce(_ bytes: [UInt8], other: [UInt8]) -> [UInt8] {
        var bytes = bytes
        switch Int.random(in: 0..<8, using: &generator) {
        case 0 where !bytes.isEmpty:
            let index = Int.random(in: 0..<bytes.count, using: &generator)
            bytes[index] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &generator)
        case 1 where !bytes.isEmpty:
            let index = Int.random(in: 0..<bytes.count, using: &generator)
            bytes[index] = Self.interestingBytes.randomElement(using: &generator) ?? 0
        case 2 where bytes.count >= 8:
            let index = Int.random(in: 0...(bytes.count - 8), using: &generator)
            var value = Self.interestingIntegers.randomElement(using: &generator) ?? 0
            let width = [1, 2, 4, 8].randomElement(using: &generator) ?? 8
            for offset in 0..<width {
                bytes[index + offset] = UInt8(truncatingIfNeeded: value)
                value >>= 8
            }
        case 3 where !bytes.isEmpty:
            let start = Int.random(in: 0..<bytes.count, using: &generator)
            let length = Int.random(in: 1...min(64, bytes.count - start), using: &generator)
            bytes.removeSubrange(start..<(start + length))
        case 4:
            let index = Int.random(in: 0...bytes.count, using: &generator)
            let length = Int.random(in: 1...16, using: &generator)
            let inserted = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            bytes.insert(contentsOf: inserted, at: index)
        case 5 where !bytes.isEmpty:
            let start = Int.random(in: 0..<bytes.count, using: &generator)
            let length = Int.random(in: 1...min(256, bytes.count - start), using: &generator)
            let chunk = bytes[start..<(start + length)]
            let index = Int.random(in: 0...bytes.count, using: &generator)
            bytes.insert(contentsOf: chunk, at: index)
        case 6 where !bytes.isEmpty:
            bytes.removeSubrange(Int.random(in: 0..<bytes.count, using: &generator)...)
        case 7 where !other.isEmpty:
            let keep = Int.random(in: 0...bytes.count, using: &generator)
            let from = Int.random(in: 0..<other.count, using: &generator)
            bytes = Array(bytes[..<keep]) + other[from...]
        default:
            bytes.append(UInt8.random(in: 0...255, using: &generator))
        }
        return bytes
    }
}

import Foundation

/// A seeded pseudo-random generator (xoshiro256**, Blackman and Vigna 2018, seeded through
/// SplitMix64): the only source of randomness in PromptVTG, passed explicitly
/// (`using: &generator`) so that runs reproduce on every platform.
///
/// Its whole state is four words (`state`), which checkpoints save and restore so that a resumed
/// run draws exactly the numbers an uninterrupted one would.
///
/// Two families of derived draws, each the one its callers have always used, so that every
/// stream stays bit-identical:
/// - Float draws for tensors, dropout and initialisation: ``nextUnitFloat()`` (24 random bits)
///   and ``nextNormal()``.
/// - Double draws for the synthetic benchmarks: ``nextUnitInterval()`` (53 random bits),
///   `uniform(_:)` over a Double or an Int range, and ``standardNormal()``.
///   (``nextNormal()`` is `Float(standardNormal())`: the same two draws.)
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable {
    /// The generator's complete state.
    public var state: [UInt64] {
        get { [s0, s1, s2, s3] }
        set {
            precondition(newValue.count == 4, "SeededGenerator.state needs 4 words")
            (s0, s1, s2, s3) = (newValue[0], newValue[1], newValue[2], newValue[3])
        }
    }

    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// A generator whose stream is determined by `seed`.
    public init(seed: UInt64) {
        var mixer = seed
        func splitMix() -> UInt64 {
            mixer &+= 0x9E37_79B9_7F4A_7C15
            var z = mixer
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix()
        s1 = splitMix()
        s2 = splitMix()
        s3 = splitMix()
    }

    /// A generator restored from a saved `state`.
    public init(state: [UInt64]) {
        self.init(seed: 0)
        self.state = state
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// A new generator for an independent stream (e.g. one per data-loader worker or per prompt).
    public mutating func split() -> SeededGenerator {
        SeededGenerator(seed: next())
    }

    // MARK: Float draws (tensors)

    /// A uniform Float in [0, 1) with 24 random bits.
    public mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// A standard normal sample as a Float: ``standardNormal()`` rounded to Float.
    public mutating func nextNormal() -> Float {
        Float(standardNormal())
    }

    // MARK: Double draws (synthetic benchmarks)

    /// A uniform Double in [0, 1) from the top 53 bits.
    public mutating func nextUnitInterval() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform Double in `range`.
    public mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * nextUnitInterval()
    }

    /// A uniform integer in `range` (Lemire's unbiased bounded integers, ``uniformIndex(below:)``).
    public mutating func uniform(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + uniformIndex(below: range.count)
    }

    /// A standard normal sample (Box–Muller; one of the pair is discarded so that the stream
    /// position depends only on the number of draws: always two).
    public mutating func standardNormal() -> Double {
        // 1 - u keeps the logarithm's argument in (0, 1].
        let radius = (-2 * log(1 - nextUnitInterval())).squareRoot()
        return radius * cos(2 * Double.pi * nextUnitInterval())
    }
}

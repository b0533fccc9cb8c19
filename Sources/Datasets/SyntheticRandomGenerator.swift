import Foundation

/// xoshiro256** (Blackman and Vigna 2018), seeded through SplitMix64: a small, fast generator
/// whose output is fixed by its seed on every platform. Internal: the synthetic benchmarks use
/// it; public APIs take any `RandomNumberGenerator` from the caller.
struct SyntheticRandomGenerator: RandomNumberGenerator {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// A generator whose whole output is determined by `seed`.
    init(seed: UInt64) {
        var mixer = seed
        func splitMix() -> UInt64 {
            mixer &+= 0x9E37_79B9_7F4A_7C15
            var value = mixer
            value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
            value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
            return value ^ (value >> 31)
        }
        state = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, by: 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = rotateLeft(state.3, by: 45)
        return result
    }

    /// A uniform double in `[0, 1)` from the top 53 bits.
    mutating func nextUnitInterval() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform double in `range`.
    mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * nextUnitInterval()
    }

    /// A uniform integer in `range`.
    mutating func uniform(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + BatchSampler.uniformIndex(below: range.count, using: &self)
    }

    /// A standard normal sample (Box–Muller; one of the pair is used, for simplicity).
    mutating func standardNormal() -> Double {
        let radius = (-2 * log(1 - nextUnitInterval())).squareRoot()
        return radius * cos(2 * Double.pi * nextUnitInterval())
    }

    private func rotateLeft(_ value: UInt64, by count: UInt64) -> UInt64 {
        (value << count) | (value >> (64 - count))
    }
}

import VTGCore

/// Random bits addressed by position, for dropout-style masks: draw `index` is the SplitMix64
/// output function applied to `seed + (index + 1)·γ`, which is exactly the index-th output of a
/// SplitMix64 generator started at `seed` (a generator that passes BigCrush).
///
/// Why not a `SeededGenerator` stream: each xoshiro step depends on the previous one, while
/// these draws are independent, so a loop overlaps them and any element's draw can be recomputed
/// alone, in any order, on any thread. A mask therefore never depends on the thread count, and a
/// backward pass regenerates it instead of storing it (no mask tensor, no extra memory traffic).
/// The `seed` is one number drawn from the caller's `SeededGenerator`.
///
/// Each element gets a 16-bit uniform value u and is dropped when u < round(p·2¹⁶), so p is
/// applied to within 1/65536. Elements come in blocks of 8 that share draws 2k and 2k + 1: with
/// their four 32-bit halves w₀…w₃ (low half of draw 2k first), element 8k + j takes the low 16
/// bits of w_j for j < 4 and the high 16 bits of w_{j−4} for j ≥ 4. The masks are built with
/// signed 32-bit vector arithmetic only: Swift scalarises unsigned vector comparisons (12× slower,
/// measured).
enum CounterRandom {
    /// 64 random bits for position `index` of the stream `seed`.
    @inline(__always)
    static func bits(seed: UInt64, index: Int) -> UInt64 {
        var z = seed &+ (UInt64(truncatingIfNeeded: index) &+ 1) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// round(p·2¹⁶): a 16-bit value below it means "dropped".
    @inline(__always)
    static func threshold(_ probability: Float) -> Int32 {
        Int32(Swift.min(65_536, (Double(probability) * 65_536).rounded()))
    }

    /// The 16-bit value of element `index` (the layout in the type's documentation).
    @inline(__always)
    static func value(seed: UInt64, index: Int) -> Int32 {
        let (block, lane) = index.quotientAndRemainder(dividingBy: 8)
        let word = lane % 4
        let draw = bits(seed: seed, index: 2 * block + word / 2)
        let half = UInt32(truncatingIfNeeded: draw >> (32 * UInt64(word % 2)))
        return Int32(lane < 4 ? half & 0xFFFF : half >> 16)
    }

    /// All ones in the lanes of block `block` (elements 8·block ..< 8·block + 8) that are
    /// dropped, zeros elsewhere.
    @inline(__always)
    static func droppedLanes(seed: UInt64, block: Int, threshold: Int32) -> SIMD8<Int32> {
        let draws = SIMD2<UInt64>(
            bits(seed: seed, index: 2 * block), bits(seed: seed, index: 2 * block + 1))
        let words = unsafeBitCast(draws, to: SIMD4<Int32>.self)
        // The low 16 bits of each word, then the high 16 bits (logical shift by masking).
        let values = SIMD8<Int32>(lowHalf: words & 0xFFFF, highHalf: (words &>> 16) & 0xFFFF)
        // value − threshold is negative exactly when value < threshold: its sign bit, spread.
        return (values &- threshold) &>> 31
    }

    /// destination[i] = source[i]·factor(first + i) for i in 0..<count, where the inverted-dropout
    /// factor is 0 for a dropped element and 1/(1 − p) otherwise; `source` nil means ones (the
    /// factors themselves).
    @inline(__always)
    static func applyKeepFactors(
        _ source: UnsafePointer<Float>?, _ destination: UnsafeMutablePointer<Float>,
        first: Int, count: Int, probability: Float, seed: UInt64
    ) {
        let limit = threshold(probability)
        let scale = 1 / (1 - probability)
        let scaleBits = SIMD8<Int32>(repeating: Int32(bitPattern: scale.bitPattern))
        var offset = 0
        @inline(__always)
        func scalar(_ offset: Int) {
            let dropped = value(seed: seed, index: first + offset) < limit
            destination[offset] = dropped ? 0 : (source?[offset] ?? 1) * scale
        }
        while offset < count && (first + offset) % 8 != 0 {
            scalar(offset)
            offset += 1
        }
        while offset + 8 <= count {
            let dropped = droppedLanes(seed: seed, block: (first + offset) / 8, threshold: limit)
            var factors = unsafeBitCast(scaleBits & ~dropped, to: SIMD8<Float>.self)
            if let source {
                factors *= UnsafeRawPointer(source + offset).loadUnaligned(as: SIMD8<Float>.self)
            }
            UnsafeMutableRawPointer(destination + offset).storeBytes(
                of: factors, as: SIMD8<Float>.self)
            offset += 8
        }
        while offset < count {
            scalar(offset)
            offset += 1
        }
    }

    /// DropKey on a run of logits: logit i (global position first + i) becomes −∞ when dropped.
    @inline(__always)
    static func dropToNegativeInfinity(
        _ logits: UnsafeMutablePointer<Float>, first: Int, count: Int, probability: Float,
        seed: UInt64
    ) {
        let limit = threshold(probability)
        let infinity = SIMD8<Int32>(repeating: Int32(bitPattern: (-Float.infinity).bitPattern))
        var offset = 0
        while offset < count && (first + offset) % 8 != 0 {
            if value(seed: seed, index: first + offset) < limit { logits[offset] = -.infinity }
            offset += 1
        }
        while offset + 8 <= count {
            let dropped = droppedLanes(seed: seed, block: (first + offset) / 8, threshold: limit)
            let values = UnsafeRawPointer(logits + offset).loadUnaligned(as: SIMD8<Int32>.self)
            UnsafeMutableRawPointer(logits + offset).storeBytes(
                of: (values & ~dropped) | (infinity & dropped), as: SIMD8<Int32>.self)
            offset += 8
        }
        while offset < count {
            if value(seed: seed, index: first + offset) < limit { logits[offset] = -.infinity }
            offset += 1
        }
    }
}

/// SIMD transcendental functions for the element-wise kernels.
///
/// glibc's `expf` and `tanhf` are 7–25× slower than a SIMD polynomial on this hardware, so the
/// kernels evaluate these instead. Clamping uses `replacing(with:where:)`, never `clamped`, which
/// the compiler scalarises (30× slower, measured). Products are written `a * b + c`, never
/// `addingProduct`, which becomes a `fmaf` call per lane when the target has no FMA.
enum VectorMath {
    typealias Vector = SIMD16<Float>

    /// e^x, Cephes' polynomial after range reduction x = n·ln2 + r, |r| ≤ ln2/2;
    /// relative error about 1.2e-7 against `expf`. Inputs are clamped to [−87.3, 88], so the
    /// result never overflows to infinity and underflows to 1e-38 rather than to denormals.
    @inline(__always)
    static func exp(_ input: Vector) -> Vector {
        var x = input.replacing(with: 88, where: input .> 88)
        x.replace(with: -87.3, where: x .< -87.3)
        // Round x·log2(e) to the nearest integer with the 1.5·2^23 trick (pure float ops, so it
        // vectorises); the integer then sits in the low mantissa bits.
        let shifter: Float = 12_582_912
        let shifted = x * 1.442_695_04 + shifter
        let n = shifted - shifter
        let r = x - n * 0.693_359_375 + n * 2.121_944_4e-4
        var polynomial: Vector = Vector(repeating: 1.987_569_15e-4)
        polynomial = polynomial * r + 1.398_199_95e-3
        polynomial = polynomial * r + 8.333_451_9e-3
        polynomial = polynomial * r + 4.166_579_59e-2
        polynomial = polynomial * r + 1.666_666_55e-1
        polynomial = polynomial * r + 5.000_000_12e-1
        let value = polynomial * (r * r) + r + 1
        let exponentBits =
            (unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- 0x4B40_0000 &+ 127) &<< 23
        return value * unsafeBitCast(exponentBits, to: Vector.self)
    }

    /// tanh(x) = 1 − 2 / (e^{2x} + 1); absolute error below 1e-7 (relative accuracy degrades
    /// only for |x| < 1e-4, where tanh(x) ≈ x is itself below the float noise of its users).
    @inline(__always)
    static func tanh(_ x: Vector) -> Vector {
        1 - 2 / (exp(2 * x) + 1)
    }

    /// The logistic sigmoid 1 / (1 + e^{−x}).
    @inline(__always)
    static func sigmoid(_ x: Vector) -> Vector {
        1 / (1 + exp(-x))
    }

    /// Runs a vector function over `count` floats from `source` into `destination`; the tail is
    /// padded into one vector so that every element goes through the same code.
    ///
    /// The tail moves as one block copy into and out of a zeroed vector: inserting its lanes one
    /// by one made the compiler store and reload the whole vector per lane, which took 22 % of a
    /// one-query MiniLM pass at int8 (its attention rows have 15 keys, all tail; measured).
    @inline(__always)
    static func apply(
        _ source: UnsafePointer<Float>, _ destination: UnsafeMutablePointer<Float>, count: Int,
        _ function: (Vector) -> Vector
    ) {
        var index = 0
        let width = Vector.scalarCount
        while index + width <= count {
            let value = UnsafeRawPointer(source + index).loadUnaligned(as: Vector.self)
            UnsafeMutableRawPointer(destination + index).storeBytes(
                of: function(value), as: Vector.self)
            index += width
        }
        if index < count {
            let result = function(loadTail(source + index, count: count - index))
            storeTail(result, destination + index, count: count - index)
        }
    }

    /// Runs a two-input vector function (e.g. a backward: gradient and saved value).
    @inline(__always)
    static func apply(
        _ first: UnsafePointer<Float>, _ second: UnsafePointer<Float>,
        _ destination: UnsafeMutablePointer<Float>, count: Int,
        _ function: (Vector, Vector) -> Vector
    ) {
        var index = 0
        let width = Vector.scalarCount
        while index + width <= count {
            let a = UnsafeRawPointer(first + index).loadUnaligned(as: Vector.self)
            let b = UnsafeRawPointer(second + index).loadUnaligned(as: Vector.self)
            UnsafeMutableRawPointer(destination + index).storeBytes(
                of: function(a, b), as: Vector.self)
            index += width
        }
        if index < count {
            let result = function(
                loadTail(first + index, count: count - index),
                loadTail(second + index, count: count - index))
            storeTail(result, destination + index, count: count - index)
        }
    }

    /// The first `count` (< 16) floats at `source` in a vector, the other lanes zero.
    @inline(__always)
    static func loadTail(_ source: UnsafePointer<Float>, count: Int) -> Vector {
        var vector = Vector()
        withUnsafeMutableBytes(of: &vector) { bytes in
            bytes.baseAddress?.copyMemory(
                from: source, byteCount: count * MemoryLayout<Float>.stride)
        }
        return vector
    }

    /// Writes the first `count` (< 16) lanes of `vector` to `destination`.
    @inline(__always)
    static func storeTail(_ vector: Vector, _ destination: UnsafeMutablePointer<Float>, count: Int)
    {
        withUnsafeBytes(of: vector) { bytes in
            if let base = bytes.baseAddress {
                UnsafeMutableRawPointer(destination).copyMemory(
                    from: base, byteCount: count * MemoryLayout<Float>.stride)
            }
        }
    }
}

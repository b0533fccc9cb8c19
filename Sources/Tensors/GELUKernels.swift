/// The exact GELU's forward and backward kernels, x·Φ(x) with Φ(x) = (1 + erf(x/√2))/2.
///
/// Written with 8-lane vectors: the erf-and-exp chain keeps about twenty vectors alive, which
/// fits the 16 AVX2 registers at 8 lanes but spills at 16 (a `SIMD16` version ran at 2.2 ns per
/// element, this one at 1.1 ns, measured on 5 M elements). The backward shares one exponential
/// between erf(x/√2) and the density φ(x) = e^{−x²/2}/√(2π), since e^{−(|x|/√2)²} = e^{−x²/2}.
enum GELUKernels {
    typealias Vector = SIMD8<Float>

    /// e^x as `VectorMath.exp` (Cephes polynomial, inputs clamped to [−87.3, 88]), 8 lanes.
    @inline(__always)
    static func exp(_ input: Vector) -> Vector {
        var x = input.replacing(with: 88, where: input .> 88)
        x.replace(with: -87.3, where: x .< -87.3)
        let shifter: Float = 12_582_912
        let shifted = x * 1.442_695_04 + shifter
        let n = shifted - shifter
        let r = x - n * 0.693_359_375 + n * 2.121_944_4e-4
        var polynomial = Vector(repeating: 1.987_569_15e-4)
        polynomial = polynomial * r + 1.398_199_95e-3
        polynomial = polynomial * r + 8.333_451_9e-3
        polynomial = polynomial * r + 4.166_579_59e-2
        polynomial = polynomial * r + 1.666_666_55e-1
        polynomial = polynomial * r + 5.000_000_12e-1
        let value = polynomial * (r * r) + r + 1
        let exponentBits =
            (unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000 &+ 127) &<< 23
        return value * unsafeBitCast(exponentBits, to: Vector.self)
    }

    /// Φ(x) and e^{−x²/2}, from erf by Abramowitz & Stegun 7.1.26 (absolute error ≤ 1.5e-7).
    /// The sign is restored with bit operations (a mask select kept alive across the
    /// exponential cost 60 % more, measured).
    @inline(__always)
    static func cumulativeAndGaussian(_ x: Vector) -> (cumulative: Vector, gaussian: Vector) {
        let scaled = x * 0.707_106_781  // x/√2
        let bits = unsafeBitCast(scaled, to: SIMD8<UInt32>.self)
        let sign = bits & 0x8000_0000
        let a = unsafeBitCast(bits & 0x7FFF_FFFF, to: Vector.self)
        let t = 1 / (1 + 0.327_591_1 * a)
        var polynomial = Vector(repeating: 1.061_405_429)
        polynomial = polynomial * t - 1.453_152_027
        polynomial = polynomial * t + 1.421_413_741
        polynomial = polynomial * t - 0.284_496_736
        polynomial = polynomial * t + 0.254_829_592
        let gaussian = exp(-(a * a))
        let magnitude = 1 - polynomial * t * gaussian
        let erf = unsafeBitCast(
            unsafeBitCast(magnitude, to: SIMD8<UInt32>.self) | sign, to: Vector.self)
        return (0.5 * (1 + erf), gaussian)
    }

    /// y = x·Φ(x) over `count` elements, split across threads when long.
    static func forward(
        _ source: UnsafePointer<Float>, _ destination: UnsafeMutablePointer<Float>, count: Int
    ) {
        let pointers = UncheckedSendable((source, destination))
        ComputeThreads.forEachChunk(total: count, unitsPerElement: forwardUnits) { range in
            forward(pointers.value.0, pointers.value.1, range: range)
        }
    }

    /// Element-cost units of one forward and one backward element (see `ComputeThreads`).
    static let forwardUnits = 6
    static let backwardUnits = 7

    /// y = x·Φ(x) over the elements `range`, on the calling thread. Each element's value is the
    /// same whatever range it falls in (the tail runs the same vector code).
    static func forward(
        _ source: UnsafePointer<Float>, _ destination: UnsafeMutablePointer<Float>,
        range: Range<Int>
    ) {
        var index = range.lowerBound
        while index + 8 <= range.upperBound {
            let x = UnsafeRawPointer(source + index).loadUnaligned(as: Vector.self)
            UnsafeMutableRawPointer(destination + index).storeBytes(
                of: x * cumulativeAndGaussian(x).cumulative, as: Vector.self)
            index += 8
        }
        if index < range.upperBound {
            var x = Vector()
            for lane in 0..<(range.upperBound - index) { x[lane] = source[index + lane] }
            let y = x * cumulativeAndGaussian(x).cumulative
            for lane in 0..<(range.upperBound - index) { destination[index + lane] = y[lane] }
        }
    }

    /// dx = g·(Φ(x) + x·φ(x)) over `count` elements, split across threads when long.
    static func backward(
        gradient: UnsafePointer<Float>, input: UnsafePointer<Float>,
        _ destination: UnsafeMutablePointer<Float>, count: Int
    ) {
        let pointers = UncheckedSendable((gradient, input, destination))
        ComputeThreads.forEachChunk(total: count, unitsPerElement: backwardUnits) { range in
            let (gradient, input, destination) = pointers.value
            backward(gradient: gradient, input: input, destination, range: range)
        }
    }

    /// dx = g·(Φ(x) + x·φ(x)) over the elements `range`, on the calling thread.
    static func backward(
        gradient: UnsafePointer<Float>, input: UnsafePointer<Float>,
        _ destination: UnsafeMutablePointer<Float>, range: Range<Int>
    ) {
        @inline(__always)
        func derivative(_ x: Vector, _ g: Vector) -> Vector {
            let (cumulative, gaussian) = cumulativeAndGaussian(x)
            return g * (cumulative + x * gaussian * 0.398_942_280)  // 1/√(2π)
        }
        var index = range.lowerBound
        while index + 8 <= range.upperBound {
            let x = UnsafeRawPointer(input + index).loadUnaligned(as: Vector.self)
            let g = UnsafeRawPointer(gradient + index).loadUnaligned(as: Vector.self)
            UnsafeMutableRawPointer(destination + index).storeBytes(
                of: derivative(x, g), as: Vector.self)
            index += 8
        }
        if index < range.upperBound {
            var x = Vector()
            var g = Vector()
            for lane in 0..<(range.upperBound - index) {
                x[lane] = input[index + lane]
                g[lane] = gradient[index + lane]
            }
            let result = derivative(x, g)
            for lane in 0..<(range.upperBound - index) {
                destination[index + lane] = result[lane]
            }
        }
    }
}

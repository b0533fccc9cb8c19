import CKernels
import Foundation
import Tensors
import Testing
import VTGCore

/// Shapes with every kind of tail: rows that fill no whole 10-row block or 100-row chunk,
/// output columns that fill no whole 32-column panel (or only one of its 16-column halves), and
/// input sizes that are odd or leave a partial group of 4.
let kernelShapes: [(rows: Int, outputs: Int, inputs: Int)] = [
    (1, 1, 1), (2, 31, 3), (7, 16, 17), (15, 33, 64), (10, 32, 2), (101, 70, 129), (233, 100, 5),
    (16, 384, 384),
]

/// `count` values uniform in [-scale, scale), from `seed`.
func randomValues(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
    var generator = SeededGenerator(seed: seed)
    return (0..<count).map { _ in scale * (2 * generator.nextUnitFloat() - 1) }
}

/// Whether the kernels of `feature` (`PROMPTVTG_FEATURE_*`) can run here.
func hasFeature(_ feature: UInt32) -> Bool { promptvtg_cpu_features() & feature != 0 }

/// The exact x·wᵀ + b in double precision, and the sum of the magnitudes of its terms (the
/// scale of any float32 rounding error), per output element.
func exactProducts(
    input: [Float], rows: Int, weight: [Float], outputs: Int, inputs: Int, bias: [Float]?
) -> (values: [Double], magnitudes: [Double]) {
    var values = [Double](repeating: 0, count: rows * outputs)
    var magnitudes = values
    for row in 0..<rows {
        for column in 0..<outputs {
            var sum = Double(bias?[column] ?? 0)
            var magnitude = abs(sum)
            for index in 0..<inputs {
                let term =
                    Double(input[row * inputs + index]) * Double(weight[column * inputs + index])
                sum += term
                magnitude += abs(term)
            }
            values[row * outputs + column] = sum
            magnitudes[row * outputs + column] = magnitude
        }
    }
    return (values, magnitudes)
}

/// The `[rows, outputs]` output of `kernel` run over every panel of `outputs` columns in `splits`
/// consecutive panel ranges (as threads split them), each with its own 64-byte aligned scratch;
/// NaN wherever the kernel wrote nothing.
func kernelOutput(
    rows: Int, outputs: Int, splits: Int, scratchBytes: Int, bias: [Float]?,
    _ kernel: (
        _ begin: Int32, _ end: Int32, _ bias: UnsafePointer<Float>?,
        _ output: UnsafeMutablePointer<Float>, _ scratch: UnsafeMutableRawPointer
    ) -> Void
) -> [Float] {
    var output = [Float](repeating: .nan, count: rows * outputs)
    let panels = (outputs + Int(PROMPTVTG_PANEL_WIDTH) - 1) / Int(PROMPTVTG_PANEL_WIDTH)
    let parts = min(splits, panels)
    withOptionalPointer(bias) { bias in
        output.withUnsafeMutableBufferPointer { output in
            for part in 0..<parts {
                let scratch = UnsafeMutableRawPointer.allocate(
                    byteCount: scratchBytes, alignment: 64)
                defer { scratch.deallocate() }
                kernel(
                    Int32(panels * part / parts), Int32(panels * (part + 1) / parts), bias,
                    output.baseAddress!, scratch)
            }
        }
    }
    return output
}

/// Calls `body` with a pointer to `values`' elements, or nil.
func withOptionalPointer<Result>(
    _ values: [Float]?, _ body: (UnsafePointer<Float>?) -> Result
) -> Result {
    guard let values else { return body(nil) }
    return values.withUnsafeBufferPointer { body($0.baseAddress) }
}

/// The kernels' quick GELU (a polynomial e^x of relative error about 1.2e-7, then a division)
/// against x·σ(1.702·x) in double precision: about 10 float32 roundings of each output (the
/// largest seen on these shapes: 1.14e-6). The kernels' exact GELU (minimax erf and erfc)
/// against x·erfc(−x/√2)/2 from libm: at most 7.7e-7 (at x ≈ −2) for x ≥ −2.
let activationRelativeTolerance = 2e-6

/// Below x = −2 the exact GELU (|value| < 0.046) is held to an absolute error instead, this
/// tolerance times this scale (5e-7; erfc's relative error grows in its tail, to 3e-4 at x = −5
/// where GELU is −1.4e-6).
let geluTailScale = 0.25

/// The exact value of the kernels' `activation` at `x`, in double precision.
func exactActivation(_ activation: promptvtg_activation, _ x: Double) -> Double {
    switch activation {
    case PROMPTVTG_ACTIVATION_QUICK_GELU: x / (1 + Foundation.exp(-1.702 * x))
    case PROMPTVTG_ACTIVATION_GELU: x * Foundation.erfc(-x / 2.0.squareRoot()) / 2
    default: x
    }
}

/// Expects `activated[i]` to be `activation` of `plain[i]` within `activationRelativeTolerance`
/// (relative to the value, or to 1e-6 for smaller values, or to `geluTailScale` in the exact
/// GELU's tail).
func expectActivation(
    _ activation: promptvtg_activation, of plain: [Float], equals activated: [Float],
    _ comment: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(plain.count == activated.count, sourceLocation: sourceLocation)
    var worst = 0.0
    for (x, y) in zip(plain, activated) {
        let expected = exactActivation(activation, Double(x))
        let tail = activation == PROMPTVTG_ACTIVATION_GELU && x < -2
        let scale = tail ? geluTailScale : max(abs(expected), 1e-6)
        worst = max(worst, abs(Double(y) - expected) / scale)
    }
    #expect(
        worst <= activationRelativeTolerance, "\(comment): \(worst)",
        sourceLocation: sourceLocation)
}

/// Runs `kernel` (input, shape, weight, bias, splits, activation → output) on every shape of
/// `kernelShapes` in 1 and 3 panel ranges, without an activation and with quick GELU and the
/// exact GELU, and expects each activated output to be the activation of the first.
func expectKernelAppliesActivations(
    _ kernel: (
        _ input: [Float], _ shape: (rows: Int, outputs: Int, inputs: Int), _ weight: [Float],
        _ bias: [Float], _ splits: Int, _ activation: promptvtg_activation
    ) -> [Float],
    sourceLocation: SourceLocation = #_sourceLocation
) {
    for (index, shape) in kernelShapes.enumerated() {
        let seed = UInt64(10 * index + 3)
        let input = randomValues(shape.rows * shape.inputs, seed: seed, scale: 3)
        let weight = randomValues(shape.outputs * shape.inputs, seed: seed + 1)
        let bias = randomValues(shape.outputs, seed: seed + 2)
        for splits in [1, 3] {
            let plain = kernel(input, shape, weight, bias, splits, PROMPTVTG_ACTIVATION_NONE)
            for activation in [PROMPTVTG_ACTIVATION_QUICK_GELU, PROMPTVTG_ACTIVATION_GELU] {
                let activated = kernel(input, shape, weight, bias, splits, activation)
                expectActivation(
                    activation, of: plain, equals: activated, "\(activation) \(shape)",
                    sourceLocation: sourceLocation)
            }
        }
    }
}

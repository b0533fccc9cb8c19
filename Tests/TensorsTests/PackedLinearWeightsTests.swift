import CKernels
import Foundation
import TestSupport
import Testing

@testable import Tensors

/// `linear(_:packedWeight:bias:)`: the kernels through tensors and the engine's thread split,
/// against the plain reference loops, and its float32 fallback for passes that record.
@Suite struct PackedLinearWeightsTests {
    /// Shapes that take each way through `linear(_:packedWeight:bias:)` on a 2-thread machine
    /// (in row blocks each thread needs 4 M multiply-adds at bf16, 8 M at int8, and 20 rows; in
    /// column panels 4 times that work): the calling thread alone, row blocks, column panels.
    static let shapes: [(input: [Int], outputs: Int)] = [
        ([3, 5, 7], 9),  // tiny: the calling thread
        ([4, 250, 96], 96),  // 9.2 M multiply-adds over 1000 rows: row blocks at bf16
        ([2, 300, 256], 128),  // 19.7 M: row blocks at int8 too
        ([15, 1536], 384),  // 8.8 M over 15 rows (one query's product): the calling thread
        ([15, 1536], 1536),  // 35 M over 15 rows: column panels at bf16
        ([30, 1536], 1536),  // 71 M over 30 rows: column panels at int8 too
    ]

    @Test(.enabled(if: CPUFeatures.detected.contains(.avx512BF16)))
    func bf16MatchesTheReferenceLoopAcrossTheThreadSplit() {
        matchesTheReferenceLoop(precision: .bf16)
    }

    @Test(.enabled(if: CPUFeatures.detected.contains(.avx512VNNI)))
    func int8MatchesTheReferenceLoopAcrossTheThreadSplit() {
        matchesTheReferenceLoop(precision: .int8)
    }

    private func matchesTheReferenceLoop(precision: Precision) {
        for (index, shape) in Self.shapes.enumerated() {
            let inputSize = shape.input.last ?? 0
            let x = randomTensor(shape.input, seed: UInt64(3 * index))
            let w = randomTensor([shape.outputs, inputSize], seed: UInt64(3 * index + 1))
            let b = randomTensor([shape.outputs], seed: UInt64(3 * index + 2))
            let packed = PackedLinearWeights(w, precision: precision)
            for bias in [b, nil] {
                let result = linear(x, packedWeight: packed, bias: bias)
                #expect(result.shape == Array(shape.input.dropLast()) + [shape.outputs])
                let reference = referenceProduct(x, w, bias, precision: precision)
                if precision == .int8 {
                    // Exact int32 sums, same dequantisation.
                    #expect(result.scalars == reference, "\(shape)")
                } else {
                    // The same exact products; float32 sums of ≤ 1537 terms ≤ 1 in magnitude.
                    #expect(maximumDifference(result.scalars, reference) <= 1e-3, "\(shape)")
                }
            }
        }
    }

    /// The few-row float32 kernel against OpenBLAS: float32 sums of the same ≤ 1537 terms below 1
    /// in two orders (blocked, fused or not). Worst case 2·n·ε·Σ|terms| ≈ 0.14; the rounding
    /// errors of random signs add up to about √n·ε·|sum| ≈ 1e-4.
    static let float32OrderTolerance: Float = 1e-3

    @Test(arguments: [CPUFeatures.avx512F, .avx2FMA])
    func float32MatchesTheReferenceLoopAndOpenBLAS(features: CPUFeatures) {
        guard PackedLinearWeights.hasFloat32Kernel(features) else { return }
        for (index, shape) in Self.shapes.enumerated() {
            let inputSize = shape.input.last ?? 0
            let x = randomTensor(shape.input, seed: UInt64(3 * index))
            let w = randomTensor([shape.outputs, inputSize], seed: UInt64(3 * index + 1))
            let b = randomTensor([shape.outputs], seed: UInt64(3 * index + 2))
            let packed = PackedLinearWeights(w, precision: .float32, features: features)
            #expect(packed.byteCount == packed.panelCount * 32 * inputSize * 4)
            let rows = x.count / inputSize
            for bias in [b, nil] {
                let result = withGradientsDisabled { linear(x, packedWeight: packed, bias: bias) }
                let openBLAS = withGradientsDisabled { linear(x, weight: w, bias: bias) }
                if rows > PackedLinearWeights.float32RowLimit {
                    #expect(!packed.runsKernel(rows: rows))
                    #expect(result.scalars == openBLAS.scalars, "\(shape): OpenBLAS itself")
                    continue
                }
                #expect(packed.runsKernel(rows: rows))
                #expect(
                    result.scalars == referenceProduct(x, w, bias, precision: .float32),
                    "\(shape)")
                #expect(
                    maximumDifference(result.scalars, openBLAS.scalars)
                        <= Self.float32OrderTolerance, "\(shape)")
            }
        }
    }

    @Test(arguments: Precision.allCases)
    func appliesQuickGELUInTheKernelOrAfterIt(precision: Precision) {
        let supported =
            precision == .float32
            ? PackedLinearWeights.hasFloat32Kernel()
            : CPUFeatures.current.supportedPrecision(precision) == precision
        guard supported else { return }
        let x = randomTensor([30, 1536], seed: 20)
        let w = randomTensor([1536, 1536], in: -0.05..<0.05, seed: 21)
        let b = randomTensor([1536], seed: 22)
        let packed = PackedLinearWeights(w, precision: precision)
        let fused = withGradientsDisabled {
            linear(x, packedWeight: packed, bias: b, activation: .quickGELU)
        }
        let separate = withGradientsDisabled {
            linear(x, packedWeight: packed, bias: b).quickGELU()
        }
        // Two polynomial e^x of 1.2e-7 relative error, each after a few roundings.
        for (a, c) in zip(fused.scalars, separate.scalars) {
            #expect(abs(a - c) <= 1e-6 * Swift.max(abs(c), 1e-3), "\(precision)")
        }
        // A recording pass: the float32 product, then the op itself.
        x.requiresGrad = true
        #expect(
            linear(x, packedWeight: packed, bias: b, activation: .quickGELU).scalars
                == linear(x, weight: w, bias: b).quickGELU().scalars)
    }

    @Test(.enabled(if: CPUFeatures.detected.contains(.avx512VNNI)))
    func recordingPassesUseTheFloat32Weight() {
        let precision = Precision.int8
        let w = randomTensor([6, 4], seed: 1)
        let b = randomTensor([6], seed: 2)
        let packed = PackedLinearWeights(w, precision: precision)
        let x = randomTensor([3, 4], seed: 3)
        x.requiresGrad = true
        let y = linear(x, packedWeight: packed, bias: b)
        let expected = linear(x, weight: w, bias: b)
        #expect(y.scalars == expected.scalars)
        y.sum().backward()
        // d(Σ y)/dx = Σ over outputs of W's rows.
        let columnSums = (0..<4).map { column in
            (0..<6).reduce(Float(0)) { $0 + w.scalars[$1 * 4 + column] }
        }
        let expectedGradient = Array(repeating: columnSums, count: 3).flatMap { $0 }
        #expect(maximumDifference(x.grad?.scalars ?? [], expectedGradient) <= 1e-6)
        // Without the tape, the same input takes the int8 kernel.
        let inference = withGradientsDisabled { linear(x, packedWeight: packed, bias: b) }
        #expect(inference.scalars != expected.scalars)
        #expect(maximumDifference(inference.scalars, expected.scalars) <= 0.05)
    }

    @Test(.enabled(if: CPUFeatures.detected.isSuperset(of: [.avx512BF16, .avx512VNNI])))
    func keptRowsAreTheSameBitsAndTheOthersZero() {
        for precision in [Precision.bf16, .int8] {
            for (index, shape) in Self.shapes.enumerated() {
                let inputSize = shape.input.last ?? 0
                let rowCount = shape.input.dropLast().reduce(1, *)
                let x = randomTensor(shape.input, seed: UInt64(3 * index))
                let w = randomTensor([shape.outputs, inputSize], seed: UInt64(3 * index + 1))
                let b = randomTensor([shape.outputs], seed: UInt64(3 * index + 2))
                let packed = PackedLinearWeights(w, precision: precision)
                let whole = linear(x, packedWeight: packed, bias: b).scalars
                // Runs of kept rows with gaps, as padded tokens leave them; and no kept row.
                let masks = [
                    (0..<rowCount).map { $0 % 7 < 4 || $0 == rowCount - 1 },
                    [Bool](repeating: false, count: rowCount),
                ]
                for keep in masks {
                    let selection = RowSelection(keeping: Mask(shape: [rowCount], values: keep))
                    let result = linear(x, packedWeight: packed, bias: b, rows: selection)
                        .scalars
                    for row in 0..<rowCount {
                        let range = (row * shape.outputs)..<((row + 1) * shape.outputs)
                        let expected =
                            keep[row]
                            ? Array(whole[range]) : [Float](repeating: 0, count: shape.outputs)
                        #expect(Array(result[range]) == expected, "\(precision) \(shape) \(row)")
                    }
                }
            }
        }
    }

    @Test func sizesItsCopy() throws {
        let w = randomTensor([33, 17], seed: 4)
        if CPUFeatures.detected.contains(.avx512BF16) {
            // 2 panels × 9 pairs × 32 columns × 2 values × 2 bytes.
            #expect(PackedLinearWeights(w, precision: .bf16).byteCount == 2 * 9 * 32 * 2 * 2)
        }
        if CPUFeatures.detected.contains(.avx512VNNI) {
            // 2 panels × 5 groups × 32 columns × 4 bytes, then 64 scales and 64 column sums.
            let packed = PackedLinearWeights(w, precision: .int8)
            #expect(packed.byteCount == 2 * 5 * 32 * 4 + 64 * 8)
            #expect(packed.inputSize == 17 && packed.outputSize == 33 && packed.weight === w)
        }
    }

    /// The reference loop of `precision` on tensors: `[..., in]` × `[out, in]` → flat scalars.
    private func referenceProduct(_ x: Tensor, _ w: Tensor, _ b: Tensor?, precision: Precision)
        -> [Float]
    {
        let (outputs, inputs) = (w.shape[0], w.shape[1])
        let rows = x.count / inputs
        var output = [Float](repeating: .nan, count: rows * outputs)
        let bias = b?.scalars
        let body = { (bias: UnsafePointer<Float>?) in
            if precision == .float32 {
                promptvtg_f32_linear_reference(
                    x.scalars, Int32(rows), w.scalars, Int32(outputs), Int32(inputs), bias,
                    &output)
            } else if precision == .int8 {
                promptvtg_int8_linear_reference(
                    x.scalars, Int32(rows), w.scalars, Int32(outputs), Int32(inputs), bias,
                    &output)
            } else {
                promptvtg_bf16_linear_reference(
                    x.scalars, Int32(rows), w.scalars, Int32(outputs), Int32(inputs), bias,
                    &output)
            }
        }
        if let bias { bias.withUnsafeBufferPointer { body($0.baseAddress) } } else { body(nil) }
        return output
    }
}

import CKernels
import Testing
import VTGCore

/// The bf16 kernel (vdpbf16ps) against its plain reference loop, and the reference against the
/// exact product.
@Suite struct BF16LinearTests {
    @Test func roundsToNearestTiesToEven() {
        func rounded(_ bits: UInt32) -> UInt16 {
            promptvtg_bf16_from_float(Float(bitPattern: bits))
        }
        #expect(rounded(0x3F80_0000) == 0x3F80)  // 1.0 is exact
        #expect(rounded(0x3F80_7FFF) == 0x3F80)  // below half an ulp: down
        #expect(rounded(0x3F80_8001) == 0x3F81)  // above half an ulp: up
        #expect(rounded(0x3F80_8000) == 0x3F80)  // a tie, kept bit even: down
        #expect(rounded(0x3F81_8000) == 0x3F82)  // a tie, kept bit odd: up to even
        #expect(rounded(0xBF81_8000) == 0xBF82)  // the same for negatives
        #expect(rounded(0x7F7F_FFFF) == 0x7F80)  // the largest float rounds to infinity
        #expect(rounded(0x7F80_0000) == 0x7F80)  // infinity stays
        let nan = rounded(Float.nan.bitPattern)
        #expect(nan & 0x7F80 == 0x7F80 && nan & 0x007F != 0)  // NaN stays NaN
    }

    @Test(.enabled(if: hasFeature(PROMPTVTG_FEATURE_AVX512_BF16)))
    func kernelMatchesTheReferenceLoop() {
        for (index, shape) in kernelShapes.enumerated() {
            let seed = UInt64(10 * index)
            let input = randomValues(shape.rows * shape.inputs, seed: seed)
            let weight = randomValues(shape.outputs * shape.inputs, seed: seed + 1, scale: 0.1)
            let bias = randomValues(shape.outputs, seed: seed + 2)
            let exact = exactProducts(
                input: input, rows: shape.rows, weight: weight, outputs: shape.outputs,
                inputs: shape.inputs, bias: bias)
            for withBias in [true, false] {
                var reference = [Float](repeating: 0, count: shape.rows * shape.outputs)
                let biasValues = withBias ? bias : nil
                withOptionalPointer(biasValues) { bias in
                    promptvtg_bf16_linear_reference(
                        input, Int32(shape.rows), weight, Int32(shape.outputs),
                        Int32(shape.inputs), bias, &reference)
                }
                for splits in [1, 3] {
                    let kernel = bf16Kernel(
                        input: input, rows: shape.rows, weight: weight, outputs: shape.outputs,
                        inputs: shape.inputs, bias: biasValues, splits: splits)
                    for element in 0..<reference.count {
                        // The same exact products summed in float32: at most n·ε of the terms'
                        // magnitudes apart in any order (identical in the specified order).
                        let tolerance =
                            Double(shape.inputs + 1) * Double(Float.ulpOfOne)
                            * exact.magnitudes[element]
                        #expect(
                            abs(Double(kernel[element]) - Double(reference[element]))
                                <= tolerance, "\(shape) bias \(withBias) element \(element)")
                    }
                }
            }
        }
    }

    @Test func referenceIsTheProductOfRoundedValues() {
        for (index, shape) in kernelShapes.enumerated() {
            let seed = UInt64(10 * index + 5)
            let input = randomValues(shape.rows * shape.inputs, seed: seed)
            let weight = randomValues(shape.outputs * shape.inputs, seed: seed + 1)
            let bias = randomValues(shape.outputs, seed: seed + 2)
            var reference = [Float](repeating: 0, count: shape.rows * shape.outputs)
            promptvtg_bf16_linear_reference(
                input, Int32(shape.rows), weight, Int32(shape.outputs), Int32(shape.inputs), bias,
                &reference)
            let exact = exactProducts(
                input: input, rows: shape.rows, weight: weight, outputs: shape.outputs,
                inputs: shape.inputs, bias: bias)
            for element in 0..<reference.count {
                // Each operand rounded to 8 significant bits moves by ≤ 2⁻⁸ relative, so each
                // product by ≤ 2⁻⁷ + 2⁻¹⁶; the float32 sum adds n·ε.
                let tolerance =
                    (0.0079 + Double(shape.inputs + 1) * Double(Float.ulpOfOne))
                    * exact.magnitudes[element]
                #expect(abs(Double(reference[element]) - exact.values[element]) <= tolerance)
            }
        }
    }

    @Test(.enabled(if: hasFeature(PROMPTVTG_FEATURE_AVX512_BF16)))
    func appliesActivationsAsItStores() {
        expectKernelAppliesActivations { input, shape, weight, bias, splits, activation in
            bf16Kernel(
                input: input, rows: shape.rows, weight: weight, outputs: shape.outputs,
                inputs: shape.inputs, bias: bias, splits: splits, activation: activation)
        }
    }

    /// Packs `weight` and runs the kernel over every panel in `splits` panel ranges.
    private func bf16Kernel(
        input: [Float], rows: Int, weight: [Float], outputs: Int, inputs: Int, bias: [Float]?,
        splits: Int, activation: promptvtg_activation = PROMPTVTG_ACTIVATION_NONE
    ) -> [Float] {
        var packed = [UInt16](
            repeating: 0,
            count: promptvtg_bf16_packed_bytes(Int32(outputs), Int32(inputs)) / 2)
        promptvtg_bf16_pack(weight, Int32(outputs), Int32(inputs), &packed)
        return packed.withUnsafeBufferPointer { panels in
            var weights = promptvtg_bf16_weights(
                input_size: Int32(inputs), output_size: Int32(outputs),
                panels: panels.baseAddress)
            return kernelOutput(
                rows: rows, outputs: outputs, splits: splits,
                scratchBytes: promptvtg_bf16_scratch_bytes(Int32(inputs)), bias: bias
            ) { begin, end, bias, output, scratch in
                promptvtg_bf16_linear_activated(
                    input, Int32(rows), &weights, begin, end, bias, output, scratch, activation)
            }
        }
    }
}

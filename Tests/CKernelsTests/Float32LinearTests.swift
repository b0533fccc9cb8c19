import CKernels
import Testing
import VTGCore

/// The few-row float32 kernels (AVX-512 and AVX2) against their plain reference loop, bit for
/// bit, and the reference against the exact product.
@Suite struct Float32LinearTests {
    @Test(.enabled(if: hasFeature(PROMPTVTG_FEATURE_AVX512_F)))
    func avx512KernelEqualsTheReferenceLoop() {
        kernelEqualsTheReferenceLoop(promptvtg_f32_linear_avx512)
    }

    @Test(.enabled(if: hasFeature(PROMPTVTG_FEATURE_AVX2_FMA)))
    func avx2KernelEqualsTheReferenceLoop() {
        kernelEqualsTheReferenceLoop(promptvtg_f32_linear_avx2)
    }

    @Test func referenceIsTheFloat32Product() {
        for (index, shape) in kernelShapes.enumerated() {
            let seed = UInt64(10 * index + 7)
            let input = randomValues(shape.rows * shape.inputs, seed: seed)
            let weight = randomValues(shape.outputs * shape.inputs, seed: seed + 1)
            let bias = randomValues(shape.outputs, seed: seed + 2)
            var reference = [Float](repeating: 0, count: shape.rows * shape.outputs)
            promptvtg_f32_linear_reference(
                input, Int32(shape.rows), weight, Int32(shape.outputs), Int32(shape.inputs), bias,
                &reference)
            let exact = exactProducts(
                input: input, rows: shape.rows, weight: weight, outputs: shape.outputs,
                inputs: shape.inputs, bias: bias)
            for element in 0..<reference.count {
                // Exact products (fused), n + 1 float32 roundings of the running sum.
                let tolerance =
                    Double(shape.inputs + 1) * Double(Float.ulpOfOne) * exact.magnitudes[element]
                #expect(abs(Double(reference[element]) - exact.values[element]) <= tolerance)
            }
        }
    }

    @Test func packsEveryColumnOfAPanelWithZeroPadding() {
        // 33 columns of 2 inputs: 2 panels; column c, input i holds 10 c + i.
        let weight = (0..<33).flatMap { column in (0..<2).map { Float(10 * column + $0) } }
        #expect(promptvtg_f32_packed_bytes(33, 2) == 2 * 2 * 32 * 4)
        var panels = [Float](repeating: .nan, count: 2 * 2 * 32)
        promptvtg_f32_pack(weight, 33, 2, &panels)
        #expect(panels[0] == 0 && panels[1] == 10 && panels[32] == 1 && panels[33] == 11)
        #expect(panels[64] == 320 && panels[96] == 321)  // the second panel: column 32
        #expect(panels[65...95].allSatisfy { $0 == 0 } && panels[97...].allSatisfy { $0 == 0 })
    }

    private typealias Kernel = (
        UnsafePointer<Float>?, Int32, UnsafePointer<promptvtg_f32_weights>?, Int32, Int32,
        UnsafePointer<Float>?, UnsafeMutablePointer<Float>?
    ) -> Void

    private func kernelEqualsTheReferenceLoop(_ kernel: Kernel) {
        for (index, shape) in kernelShapes.enumerated() {
            let seed = UInt64(10 * index)
            let input = randomValues(shape.rows * shape.inputs, seed: seed)
            let weight = randomValues(shape.outputs * shape.inputs, seed: seed + 1, scale: 0.1)
            let bias = randomValues(shape.outputs, seed: seed + 2)
            var packed = [Float](
                repeating: .nan,
                count: promptvtg_f32_packed_bytes(Int32(shape.outputs), Int32(shape.inputs)) / 4)
            promptvtg_f32_pack(weight, Int32(shape.outputs), Int32(shape.inputs), &packed)
            for withBias in [true, false] {
                let biasValues = withBias ? bias : nil
                var reference = [Float](repeating: 0, count: shape.rows * shape.outputs)
                withOptionalPointer(biasValues) { bias in
                    promptvtg_f32_linear_reference(
                        input, Int32(shape.rows), weight, Int32(shape.outputs),
                        Int32(shape.inputs), bias, &reference)
                }
                for splits in [1, 3] {
                    let output = packed.withUnsafeBufferPointer { panels in
                        var weights = promptvtg_f32_weights(
                            input_size: Int32(shape.inputs), output_size: Int32(shape.outputs),
                            panels: panels.baseAddress)
                        return kernelOutput(
                            rows: shape.rows, outputs: shape.outputs, splits: splits,
                            scratchBytes: 64, bias: biasValues
                        ) { begin, end, bias, output, _ in
                            kernel(input, Int32(shape.rows), &weights, begin, end, bias, output)
                        }
                    }
                    // One FMA per input in input order, then the bias: the same bits.
                    #expect(output == reference, "\(shape) bias \(withBias) splits \(splits)")
                }
            }
        }
    }
}

import CKernels
import Testing
import VTGCore

/// The int8 kernel (vpdpbusd) against its plain reference loop, bit for bit, and the
/// reference's integer sums against a recomputation.
@Suite struct Int8LinearTests {
    @Test func quantisesWeightsSymmetricallyByTheLargestMagnitude() {
        // max |x| = 127, so the scale is 1 and each value rounds to the nearest integer, ties
        // to even.
        let values: [Float] = [2.5, 3.5, -2.5, 127, -127, 0.4, -0.6, 0]
        var quantized = [Int8](repeating: 99, count: values.count)
        #expect(promptvtg_int8_quantize_row(values, Int32(values.count), &quantized) == 1)
        #expect(quantized == [2, 4, -2, 127, -127, 0, -1, 0])
        // max |x| = 2: q = round(x · 63.5), scale 2/127.
        let halves: [Float] = [1, -2, 0.5]
        var small = [Int8](repeating: 99, count: 3)
        #expect(promptvtg_int8_quantize_row(halves, 3, &small) == Float(2) / 127)
        #expect(small == [64, -127, 32])  // 63.5 → 64 (tie to even), 31.75 → 32
        // An all-zero row: scale 0, zeros.
        var zeros = [Int8](repeating: 99, count: 4)
        #expect(promptvtg_int8_quantize_row([0, 0, 0, 0], 4, &zeros) == 0)
        #expect(zeros == [0, 0, 0, 0])
    }

    @Test func quantisesActivationsOverTheirRangeWithAZeroPoint() {
        // Range [-100, 155] (zero included): 255 / 255 = 1 per unit, zero point 100.
        let values: [Float] = [-100, 155, 0, 1.5, 2.5, -0.5, 3.49]
        var quantized = [UInt8](repeating: 99, count: values.count)
        var zeroPoint: Int32 = -1
        let scale = promptvtg_u8_quantize_row(
            values, Int32(values.count), &quantized, &zeroPoint)
        #expect(scale == 1)
        #expect(zeroPoint == 100)
        // round(x) + 100, ties to even: 1.5 → 2, 2.5 → 2, -0.5 → 0.
        #expect(quantized == [0, 255, 100, 102, 102, 100, 103])
        // Positive values only: the range starts at 0, zero point 0.
        var positive = [UInt8](repeating: 99, count: 2)
        #expect(promptvtg_u8_quantize_row([1, 0.5], 2, &positive, &zeroPoint) == Float(1) / 255)
        #expect(zeroPoint == 0 && positive == [255, 128])  // 127.5 → 128 (tie to even)
        // An all-zero row: scale 0, zero point 0.
        var zeros = [UInt8](repeating: 99, count: 3)
        #expect(promptvtg_u8_quantize_row([0, 0, 0], 3, &zeros, &zeroPoint) == 0)
        #expect(zeroPoint == 0 && zeros == [0, 0, 0])
    }

    @Test(.enabled(if: hasFeature(PROMPTVTG_FEATURE_AVX512_VNNI)))
    func kernelEqualsTheReferenceLoopExactly() {
        for (index, shape) in kernelShapes.enumerated() {
            let seed = UInt64(20 * index)
            var input = randomValues(shape.rows * shape.inputs, seed: seed)
            if shape.rows > 1 {
                // An all-zero row (scale 0) among the others.
                for column in 0..<shape.inputs { input[shape.inputs + column] = 0 }
            }
            let weight = randomValues(shape.outputs * shape.inputs, seed: seed + 1, scale: 0.1)
            let bias = randomValues(shape.outputs, seed: seed + 2)
            for biasValues in [bias, nil] {
                let reference = int8Reference(
                    input: input, rows: shape.rows, weight: weight, outputs: shape.outputs,
                    inputs: shape.inputs, bias: biasValues)
                for splits in [1, 3] {
                    let kernel = int8Kernel(
                        input: input, rows: shape.rows, weight: weight, outputs: shape.outputs,
                        inputs: shape.inputs, bias: biasValues, splits: splits)
                    // Exact int32 sums and the same dequantisation: identical bits.
                    #expect(
                        kernel.map(\.bitPattern) == reference.map(\.bitPattern),
                        "\(shape) bias \(biasValues != nil) splits \(splits)")
                }
            }
        }
    }

    @Test func referenceSumsTheQuantisedProductsExactly() {
        for (index, shape) in kernelShapes.enumerated() {
            let seed = UInt64(20 * index + 7)
            let input = randomValues(shape.rows * shape.inputs, seed: seed)
            let weight = randomValues(shape.outputs * shape.inputs, seed: seed + 1)
            let bias = randomValues(shape.outputs, seed: seed + 2)
            let reference = int8Reference(
                input: input, rows: shape.rows, weight: weight, outputs: shape.outputs,
                inputs: shape.inputs, bias: bias)
            let exact = exactProducts(
                input: input, rows: shape.rows, weight: weight, outputs: shape.outputs,
                inputs: shape.inputs, bias: bias)
            let (rowValues, rowScales, zeroPoints) = quantizedActivations(
                input, count: shape.rows, size: shape.inputs)
            let (columnValues, columnScales) = quantizedWeights(
                weight, count: shape.outputs, size: shape.inputs)
            for row in 0..<shape.rows {
                for column in 0..<shape.outputs {
                    var sum = 0
                    var rowMagnitude: Float = 0
                    var columnMagnitude: Float = 0
                    for index in 0..<shape.inputs {
                        sum +=
                            (Int(rowValues[row * shape.inputs + index]) - zeroPoints[row])
                            * Int(columnValues[column * shape.inputs + index])
                        rowMagnitude += abs(input[row * shape.inputs + index])
                        columnMagnitude += abs(weight[column * shape.inputs + index])
                    }
                    let element = row * shape.outputs + column
                    let (rowScale, columnScale) = (rowScales[row], columnScales[column])
                    let dequantized = bias[column].addingProduct(
                        Float(sum), rowScale * columnScale)
                    #expect(reference[element].bitPattern == dequantized.bitPattern)
                    // Rounding moves each value by at most half its scale: the product error is
                    // bounded by the other operand's magnitudes times that, plus the float32 sum.
                    let bound =
                        Double(rowScale / 2 * columnMagnitude + columnScale / 2 * rowMagnitude)
                        + Double(shape.inputs) * Double(rowScale * columnScale) / 4
                        + Double(shape.inputs + 1) * Double(Float.ulpOfOne)
                        * exact.magnitudes[element]
                    #expect(abs(Double(reference[element]) - exact.values[element]) <= bound)
                }
            }
        }
    }

    /// Weight rows quantised as the kernel packs them: values and scales.
    private func quantizedWeights(_ values: [Float], count: Int, size: Int) -> ([Int8], [Float]) {
        var quantized: [Int8] = []
        var scales: [Float] = []
        for row in 0..<count {
            var rowValues = [Int8](repeating: 0, count: size)
            scales.append(
                promptvtg_int8_quantize_row(
                    Array(values[row * size..<(row + 1) * size]), Int32(size), &rowValues))
            quantized += rowValues
        }
        return (quantized, scales)
    }

    /// Activation rows quantised as the kernel does: values, scales and zero points.
    private func quantizedActivations(_ values: [Float], count: Int, size: Int)
        -> ([UInt8], [Float], [Int])
    {
        var quantized: [UInt8] = []
        var scales: [Float] = []
        var zeroPoints: [Int] = []
        for row in 0..<count {
            var rowValues = [UInt8](repeating: 0, count: size)
            var zeroPoint: Int32 = 0
            scales.append(
                promptvtg_u8_quantize_row(
                    Array(values[row * size..<(row + 1) * size]), Int32(size), &rowValues,
                    &zeroPoint))
            quantized += rowValues
            zeroPoints.append(Int(zeroPoint))
        }
        return (quantized, scales, zeroPoints)
    }

    private func int8Reference(
        input: [Float], rows: Int, weight: [Float], outputs: Int, inputs: Int, bias: [Float]?
    ) -> [Float] {
        var output = [Float](repeating: .nan, count: rows * outputs)
        withOptionalPointer(bias) { bias in
            promptvtg_int8_linear_reference(
                input, Int32(rows), weight, Int32(outputs), Int32(inputs), bias, &output)
        }
        return output
    }

    @Test(.enabled(if: hasFeature(PROMPTVTG_FEATURE_AVX512_VNNI)))
    func appliesActivationsAsItStores() {
        expectKernelAppliesActivations { input, shape, weight, bias, splits, activation in
            int8Kernel(
                input: input, rows: shape.rows, weight: weight, outputs: shape.outputs,
                inputs: shape.inputs, bias: bias, splits: splits, activation: activation)
        }
    }

    /// Packs `weight` and runs the kernel over every panel in `splits` panel ranges.
    private func int8Kernel(
        input: [Float], rows: Int, weight: [Float], outputs: Int, inputs: Int, bias: [Float]?,
        splits: Int, activation: promptvtg_activation = PROMPTVTG_ACTIVATION_NONE
    ) -> [Float] {
        var panels = [Int8](
            repeating: 0, count: promptvtg_int8_packed_bytes(Int32(outputs), Int32(inputs)))
        let columns = Int(promptvtg_int8_padded_columns(Int32(outputs)))
        var scales = [Float](repeating: 0, count: columns)
        var columnSums = [Int32](repeating: 0, count: columns)
        promptvtg_int8_pack(
            weight, Int32(outputs), Int32(inputs), &panels, &scales, &columnSums)
        return panels.withUnsafeBufferPointer { panels in
            scales.withUnsafeBufferPointer { scales in
                columnSums.withUnsafeBufferPointer { columnSums in
                    var weights = promptvtg_int8_weights(
                        input_size: Int32(inputs), output_size: Int32(outputs),
                        panels: panels.baseAddress, scales: scales.baseAddress,
                        column_sums: columnSums.baseAddress)
                    return kernelOutput(
                        rows: rows, outputs: outputs, splits: splits,
                        scratchBytes: promptvtg_int8_scratch_bytes(Int32(inputs)), bias: bias
                    ) { begin, end, bias, output, scratch in
                        promptvtg_int8_linear_activated(
                            input, Int32(rows), &weights, begin, end, bias, output, scratch, activation)
                    }
                }
            }
        }
    }
}

import NeuralNet
import Tensors
import TestSupport
import Testing
import VTGCore

@Suite struct LinearTests {
    @Test func computesXTimesWTransposedPlusB() {
        let store = ParameterStore(seed: 1)
        let layer = Linear(.init(inputSize: 2, outputSize: 3), parameters: store.scope("dense"))
        layer.weight.assign(Tensor(shape: [3, 2], scalars: [1, 0, 0, 1, 1, 1]))
        layer.bias?.assign(Tensor(shape: [3], scalars: [10, 20, 30]))
        // [1, 2]·Wᵀ + b = [1, 2, 3] + [10, 20, 30]
        #expect(layer(Tensor(shape: [2], scalars: [1, 2])).scalars == [11, 22, 33])
        let batch = layer(Tensor(shape: [2, 1, 2], scalars: [1, 2, 0, 1]))
        #expect(batch.shape == [2, 1, 3])
        #expect(batch.scalars == [11, 22, 33, 10, 21, 31])
    }

    @Test func pytorchDefaultInitialisationIsUniformInOneOverRootFanIn() {
        let store = ParameterStore(seed: 2)
        let layer = Linear(.init(inputSize: 64, outputSize: 256), parameters: store.root)
        let bound: Float = 1 / 8  // 1/√64
        let weights = layer.weight.scalars
        #expect(weights.allSatisfy { abs($0) <= bound })
        // Uniform on [−b, b] has variance b²/3; 16 384 samples put the estimate within ~2 %.
        let variance = weights.map { $0 * $0 }.reduce(0, +) / Float(weights.count)
        #expect(abs(variance - bound * bound / 3) < 0.05 * bound * bound / 3)
        #expect(layer.bias?.scalars.allSatisfy { abs($0) <= bound } == true)
    }

    @Test func bertInitialisationIsNormalWithZeroBias() {
        let store = ParameterStore(seed: 3)
        let layer = Linear(
            .init(
                inputSize: 128, outputSize: 128, initialization: .normal(standardDeviation: 0.02)),
            parameters: store.root)
        let weights = layer.weight.scalars
        let deviation = (weights.map { $0 * $0 }.reduce(0, +) / Float(weights.count)).squareRoot()
        #expect(abs(deviation - 0.02) < 0.001)  // 16 384 samples: relative error ≈ 0.6 %
        #expect(layer.bias?.scalars.allSatisfy { $0 == 0 } == true)
    }

    @Test func withoutBias() {
        let store = ParameterStore(seed: 4)
        let layer = Linear(
            .init(inputSize: 3, outputSize: 2, hasBias: false), parameters: store.root)
        #expect(layer.bias == nil && store.entries.map(\.path) == ["weight"])
    }

    @Test func gradientCheck() {
        let store = ParameterStore(seed: 5)
        let layer = Linear(.init(inputSize: 4, outputSize: 3), parameters: store.root)
        let input = randomTensor([2, 5, 4], seed: 6)
        let check = TestSupport.gradientCheck([input, layer.weight, layer.bias!]) { _ in
            layer(input)
        }
        #expect(check.passed, "\(check)")
    }

    @Test func convertsItsInferenceProducts() {
        let store = ParameterStore(seed: 7)
        let layer = Linear(.init(inputSize: 64, outputSize: 40), parameters: store.root)
        let input = randomTensor([3, 64], seed: 8)
        let float32 = withGradientsDisabled { layer(input) }
        // Without the CPU features (forced here), a conversion keeps float32: the same numbers.
        let fallback = layer.converted(to: .int8, features: [])
        #expect(fallback.precision == .float32 && fallback.packedWeight == nil)
        #expect(withGradientsDisabled { fallback(input) }.scalars == float32.scalars)
        for precision in [Precision.bf16, .int8] {
            let converted = layer.converted(to: precision)
            #expect(converted.precision == CPUFeatures.current.supportedPrecision(precision))
            let output = withGradientsDisabled { converted(input) }
            // 64 products of |x| < 1 and |w| < 1/8, each off by at most 2⁻⁷ relative (bf16) or
            // half a quantisation step of each operand (int8, ≈ 0.001): typically √64 × 0.001.
            #expect(maximumDifference(output.scalars, float32.scalars) <= 0.05)
            // The weight requires gradients: a recording pass multiplies by it in float32.
            #expect(converted(input).scalars == layer(input).scalars)
            #expect(converted.converted(to: .float32).packedWeight == nil)
        }
    }

    @Test func packsForFewRowsAndLeavesOtherPassesUnchanged() {
        let store = ParameterStore(seed: 9)
        let layer = Linear(.init(inputSize: 96, outputSize: 70), parameters: store.root)
        // Without a float32 kernel among the features (forced), the layer stays as it is.
        #expect(layer.packedForFewRows(features: []).packedWeight == nil)
        let packed = layer.packedForFewRows()
        guard let copy = packed.packedWeight else {
            #expect(!PackedLinearWeights.hasFloat32Kernel())
            return
        }
        #expect(packed.precision == .float32 && copy.precision == .float32)
        let few = randomTensor([3, 5, 96], seed: 10)  // 15 rows: the packed kernel
        let unpacked = withGradientsDisabled { layer(few) }
        let output = withGradientsDisabled { packed(few) }
        // Float32 sums of 97 terms below 1 in another order.
        #expect(maximumDifference(output.scalars, unpacked.scalars) <= 1e-5)
        // More rows than the limit, and recording passes: OpenBLAS, the same bits.
        let many = randomTensor([PackedLinearWeights.float32RowLimit + 1, 96], seed: 11)
        #expect(
            withGradientsDisabled { packed(many) }.scalars
                == withGradientsDisabled { layer(many) }.scalars)
        #expect(packed(few).scalars == layer(few).scalars)
        // Packing twice, or a reduced-precision layer, changes nothing; a conversion replaces it.
        #expect(packed.packedForFewRows().packedWeight === copy)
        #expect(packed.converted(to: .float32).packedWeight === copy)
        let int8 = layer.converted(to: .int8)
        #expect(int8.packedForFewRows().packedWeight === int8.packedWeight)
    }

    @Test func appliesTheExactGELUInTheKernelOrAfterIt() throws {
        let store = ParameterStore(seed: 12)
        let layer = Linear(.init(inputSize: 48, outputSize: 96), parameters: store.root)
        let input = randomTensor([2, 15, 48], in: -2..<2, seed: 13)
        let keep = (0..<30).map { $0 % 15 < 11 }  // 4 padded tokens per sequence
        let rows = try #require(RowSelection(keeping: Mask(shape: [2, 15], values: keep)))
        var context = ForwardContext(isTraining: false, generator: SeededGenerator(seed: 0))
        func separate(_ layer: Linear, _ activation: Activation) -> Tensor {
            activation(layer(input, rows: rows, context: &context), rows: rows)
        }
        func fused(_ layer: Linear, _ activation: Activation) -> Tensor {
            layer.activatedOutput(input, activation: activation, rows: rows, context: &context)
        }
        // Float32, and other activations: the two ops, the same bits.
        for activation in Activation.allCases {
            let expected = withGradientsDisabled { separate(layer, activation) }
            #expect(withGradientsDisabled { fused(layer, activation) }.scalars == expected.scalars)
        }
        for precision in [Precision.bf16, .int8] {
            let converted = layer.converted(to: precision)
            let expected = withGradientsDisabled { separate(converted, .gelu) }
            let output = withGradientsDisabled { fused(converted, .gelu) }
            // The kernel's erf against Abramowitz-Stegun's (1.5e-7 absolute on erf), on |x| ≲ 4.
            #expect(maximumDifference(output.scalars, expected.scalars) <= 1e-6)
            // Padded rows stay 0.
            for (index, kept) in keep.enumerated() where !kept {
                #expect(output.scalars[(index * 96)..<((index + 1) * 96)].allSatisfy { $0 == 0 })
            }
            // A recording pass: the float32 product and `gelu(rows:)`, as before.
            #expect(fused(converted, .gelu).scalars == separate(layer, .gelu).scalars)
        }
    }
}

import NeuralNet
import Tensors
import TestSupport
import Testing
import VTGCore

@Suite struct TransformerEncoderLayerTests {
    static func configuration(_ normalization: NormalizationPlacement, dropout: Float = 0)
        -> TransformerEncoderLayer.Configuration
    {
        .init(
            hiddenSize: 8, headCount: 2, intermediateSize: 16, activation: .gelu,
            layerNormEpsilon: 1e-12, normalization: normalization, hiddenDropout: dropout)
    }

    @Test func bertParameterPaths() {
        let store = ParameterStore(seed: 1)
        _ = TransformerEncoderLayer(
            Self.configuration(.postLayerNorm),
            parameters: store.scope("encoder.layer.0"))
        let expected = [
            "attention.self.query", "attention.self.key", "attention.self.value",
            "attention.output.dense", "attention.output.LayerNorm", "intermediate.dense",
            "output.dense", "output.LayerNorm",
        ].flatMap { ["encoder.layer.0.\($0).weight", "encoder.layer.0.\($0).bias"] }
        #expect(Set(store.entries.map(\.path)) == Set(expected))
        #expect(store.entries.count == expected.count)
        #expect(store["encoder.layer.0.intermediate.dense.weight"]?.shape == [16, 8])
    }

    @Test(arguments: [NormalizationPlacement.postLayerNorm, .preLayerNorm])
    func equalsTheLayersComposedByHand(normalization: NormalizationPlacement) {
        let store = ParameterStore(seed: 2)
        let layer = TransformerEncoderLayer(
            Self.configuration(normalization), parameters: store.root)
        let hidden = randomTensor([2, 4, 8], seed: 3)
        var context = ForwardContext.evaluation
        let output = layer(hidden, context: &context)
        func feedForward(_ x: Tensor) -> Tensor { layer.output(layer.intermediate(x).gelu()) }
        let expected: Tensor
        switch normalization {
        case .postLayerNorm:
            let a = layer.attentionNorm(hidden + layer.attention(hidden, context: &context))
            expected = layer.outputNorm(a + feedForward(a))
        case .preLayerNorm:
            let a = hidden + layer.attention(layer.attentionNorm(hidden), context: &context)
            expected = a + feedForward(layer.outputNorm(a))
        }
        #expect(output.scalars == expected.scalars)
    }

    @Test func paddedTokensDoNotChangeRealOnes() {
        let store = ParameterStore(seed: 2)
        let layer = TransformerEncoderLayer(
            Self.configuration(.postLayerNorm), parameters: store.root)
        let hidden = randomTensor([1, 4, 8], seed: 3)
        let mask = Mask(shape: [1, 4], values: [true, true, false, false])
        var context = ForwardContext.evaluation
        let output = layer(hidden, validMask: mask, context: &context)
        let changed = hidden.copied()
        changed.withUnsafeMutableScalars { for index in 16..<32 { $0[index] = -5 } }
        let again = layer(changed, validMask: mask, context: &context)
        #expect(Array(again.scalars[0..<16]) == Array(output.scalars[0..<16]))
    }

    @Test func dropoutOnlyInTrainingAndReproducible() {
        let store = ParameterStore(seed: 2)
        var configuration = Self.configuration(.preLayerNorm, dropout: 0.3)
        configuration.attentionDropout = .dropKey(probability: 0.2)
        let layer = TransformerEncoderLayer(configuration, parameters: store.root)
        let hidden = randomTensor([2, 4, 8], seed: 3)
        var evaluation = ForwardContext.evaluation
        #expect(
            layer(hidden, context: &evaluation).scalars
                == layer(hidden, context: &evaluation).scalars)
        var first = ForwardContext.training(generator: SeededGenerator(seed: 1))
        var second = ForwardContext.training(generator: SeededGenerator(seed: 1))
        let a = layer(hidden, context: &first).scalars
        #expect(a == layer(hidden, context: &second).scalars)
        #expect(a != layer(hidden, context: &evaluation).scalars)
    }

    @Test func convertsEveryLinearProduct() {
        let layer = TransformerEncoderLayer(
            Self.configuration(.postLayerNorm), parameters: ParameterStore(seed: 2).root)
        let hidden = randomTensor([2, 4, 8], seed: 3)
        var context = ForwardContext.evaluation
        let float32 = withGradientsDisabled { layer(hidden, context: &context) }
        for precision in Precision.allCases {
            let converted = layer.converted(to: precision)
            let linears = [
                converted.attention.query, converted.attention.key, converted.attention.value,
                converted.attention.output, converted.intermediate, converted.output,
            ]
            let expected = CPUFeatures.current.supportedPrecision(precision)
            #expect(linears.allSatisfy { $0.precision == expected })
            let output = withGradientsDisabled { converted(hidden, context: &context) }
            // Layer-normed outputs (unit scale) after six reduced-precision products of width
            // 8 to 16.
            #expect(maximumDifference(output.scalars, float32.scalars) <= 0.05)
            let fallback = layer.converted(to: precision, features: [])
            #expect(
                withGradientsDisabled { fallback(hidden, context: &context) }.scalars
                    == float32.scalars)
        }
    }

    /// Skipping the padded rows in the linear products (`validMask` → `RowSelection`) leaves
    /// every real token's output and every parameter gradient the same bits as computing all
    /// rows (the mask given as a bias only), in training mode with dropout and DropKey.
    @Test(arguments: [NormalizationPlacement.postLayerNorm, .preLayerNorm])
    func skippingPaddedRowsChangesNoBit(normalization: NormalizationPlacement) {
        var configuration = Self.configuration(normalization, dropout: 0.1)
        configuration.attentionDropout = .dropKey(probability: 0.1)
        // 3 items of 24 tokens (18, 24 and 7 real): 72 rows, large enough to split products.
        let counts = [18, 24, 7]
        let mask = Mask(shape: [3, 24], values: (0..<72).map { $0 % 24 < counts[$0 / 24] })
        let weights = mask.asTensor.reshaped(to: [3, 24, 1])
        let upstream = randomTensor([3, 24, 8], seed: 5)
        func run(skipping: Bool) -> (output: [Float], gradients: [[Float]]) {
            let store = ParameterStore(seed: 4)
            let layer = TransformerEncoderLayer(configuration, parameters: store.root)
            var context = ForwardContext(isTraining: true, generator: SeededGenerator(seed: 6))
            let hidden = randomTensor([3, 24, 8], seed: 7)
            let output =
                skipping
                ? layer(hidden, validMask: mask, context: &context)
                : layer(
                    hidden, attentionBias: MultiHeadAttention.additiveBias(keyValidMask: mask),
                    context: &context)
            // Read on the real tokens only, as a model's losses do.
            (output * weights).backward(seed: upstream)
            return (
                (output * weights).scalars,
                store.entries.map { $0.tensor.grad?.scalars ?? [] }
            )
        }
        let skipped = run(skipping: true)
        let full = run(skipping: false)
        #expect(skipped.output == full.output)
        #expect(skipped.gradients == full.gradients)
        #expect(skipped.gradients.allSatisfy { !$0.isEmpty })
    }
}


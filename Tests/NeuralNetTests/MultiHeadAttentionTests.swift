import Foundation
import NeuralNet
import Tensors
import TestSupport
import Testing
import VTGCore

@Suite struct MultiHeadAttentionTests {
    static func make(keyValueSize: Int? = nil, dropout: AttentionDropout = .none)
        -> (ParameterStore, MultiHeadAttention)
    {
        let store = ParameterStore(seed: 3)
        let attention = MultiHeadAttention(
            .init(hiddenSize: 8, headCount: 2, keyValueSize: keyValueSize, dropout: dropout),
            parameters: store.scope("attention"))
        return (store, attention)
    }

    /// The composed reference from the layer's own projections: heads split by reshape and
    /// permute, matmul, scale, additive mask, softmax, matmul, heads merged, output projection.
    static func reference(
        _ attention: MultiHeadAttention, _ hidden: Tensor, keyValue: Tensor? = nil,
        bias: Tensor? = nil
    ) -> Tensor {
        let source = keyValue ?? hidden
        let (batch, queries, keys) = (hidden.shape[0], hidden.shape[1], source.shape[1])
        func heads(_ x: Tensor, _ tokens: Int) -> Tensor {
            x.reshaped(to: [batch, tokens, 2, 4]).transposed(0, 2, 1, 3)  // [b, heads, t, 4]
        }
        let q = heads(
            matmul(hidden, attention.query.weight, transposeB: true) + attention.query.bias!,
            queries)
        let k = heads(
            matmul(source, attention.key.weight, transposeB: true) + attention.key.bias!, keys)
        let v = heads(
            matmul(source, attention.value.weight, transposeB: true) + attention.value.bias!, keys)
        var scores = matmul(q, k, transposeB: true) * (1 / Float(2))  // 1/√4
        if let bias { scores = scores + bias }
        let mixed = matmul(scores.softmax(axis: -1), v).transposed(0, 2, 1, 3)
            .reshaped(to: [batch, queries, 8])
        return matmul(mixed, attention.output.weight, transposeB: true) + attention.output.bias!
    }

    // Sums of 8 float32 products after two projections: rounding ~1e-6.
    let tolerance: Float = 1e-5

    @Test func huggingFaceParameterPaths() {
        let (store, _) = Self.make()
        #expect(
            store.entries.map(\.path) == [
                "attention.self.query.weight", "attention.self.query.bias",
                "attention.self.key.weight", "attention.self.key.bias",
                "attention.self.value.weight", "attention.self.value.bias",
                "attention.output.dense.weight", "attention.output.dense.bias",
            ])
    }

    @Test func selfAttentionEqualsTheComposedReference() {
        let (_, attention) = Self.make()
        let hidden = randomTensor([2, 5, 8], seed: 1)
        var context = ForwardContext.evaluation
        let output = attention(hidden, context: &context)
        #expect(output.shape == [2, 5, 8])
        #expect(
            maximumDifference(output.scalars, Self.reference(attention, hidden).scalars) < tolerance
        )
    }

    @Test func crossAttentionWithAnotherWidth() {
        let (store, attention) = Self.make(keyValueSize: 6)
        #expect(store["attention.self.key.weight"]?.shape == [8, 6])
        let hidden = randomTensor([2, 3, 8], seed: 1)
        let other = randomTensor([2, 7, 6], seed: 2)
        var context = ForwardContext.evaluation
        let (output, weights) = attention.attend(hidden, keyValue: other, context: &context)
        #expect(output.shape == [2, 3, 8] && weights.shape == [2, 2, 3, 7])
        #expect(
            maximumDifference(
                output.scalars,
                Self.reference(attention, hidden, keyValue: other).scalars) < tolerance)
    }

    @Test func validMaskGivesPaddedKeysZeroWeight() {
        let (_, attention) = Self.make()
        let hidden = randomTensor([2, 5, 8], seed: 1)
        let mask = Mask(
            shape: [2, 5],
            values: [true, true, true, false, false] + Array(repeating: true, count: 5))
        var context = ForwardContext.evaluation
        let (output, weights) = attention.attend(hidden, keyValidMask: mask, context: &context)
        for head in 0..<2 {
            for query in 0..<5 {
                #expect(weights[0, head, query, 3] == 0 && weights[0, head, query, 4] == 0)
                #expect(weights[1, head, query, 4] > 0)
            }
        }
        let bias = MultiHeadAttention.additiveBias(keyValidMask: mask)
        #expect(
            bias.shape == [2, 1, 1, 5] && bias[0, 0, 0, 3] == -.infinity && bias[0, 0, 0, 2] == 0)
        #expect(
            maximumDifference(
                output.scalars,
                Self.reference(attention, hidden, bias: bias).scalars) < tolerance)
        // The real tokens' outputs ignore whatever the padded positions hold.
        let changed = hidden.copied()
        changed.withUnsafeMutableScalars { for index in (3 * 8)..<(5 * 8) { $0[index] = 9 } }
        let again = attention(changed, keyValidMask: mask, context: &context)
        #expect(Array(again.scalars[0..<24]) == Array(output.scalars[0..<24]))
    }

    @Test func additiveBiasCombinesWithTheMask() {
        let (_, attention) = Self.make()
        let hidden = randomTensor([1, 4, 8], seed: 1)
        let bias = randomTensor([1, 2, 4, 4], seed: 5)
        let mask = Mask(shape: [1, 4], values: [true, true, true, false])
        var context = ForwardContext.evaluation
        let output = attention(hidden, keyValidMask: mask, bias: bias, context: &context)
        let combined = bias + MultiHeadAttention.additiveBias(keyValidMask: mask)
        #expect(
            maximumDifference(
                output.scalars,
                Self.reference(attention, hidden, bias: combined).scalars) < tolerance)
    }

    @Test func dropKeyOnlyInTraining() {
        let (_, attention) = Self.make(dropout: .dropKey(probability: 0.3))
        let (_, plain) = Self.make()
        let hidden = randomTensor([2, 16, 8], seed: 1)
        var evaluation = ForwardContext.evaluation
        // In evaluation DropKey is a no-op: exactly the output without it.
        #expect(
            attention(hidden, context: &evaluation).scalars
                == plain(hidden, context: &evaluation).scalars)
        var training = ForwardContext.training(generator: SeededGenerator(seed: 4))
        let (trained, weights) = attention.attend(hidden, context: &training)
        #expect(trained.scalars != plain(hidden, context: &evaluation).scalars)
        let dropped = Double(weights.scalars.filter { $0 == 0 }.count) / Double(weights.count)
        // 1 024 logits at p = 0.3: σ ≈ 0.014; 5σ.
        #expect(abs(dropped - 0.3) < 0.07)
    }

    @Test func gradientCheckThroughTheLayer() {
        let (store, attention) = Self.make(dropout: .dropKey(probability: 0.2))
        let hidden = randomTensor([2, 3, 8], seed: 1)
        let mask = Mask(shape: [2, 3], values: [true, true, false, true, true, true])
        let parameters = store.entries.map(\.tensor)
        let check = gradientCheck([hidden] + parameters) { inputs in
            var context = ForwardContext.training(generator: SeededGenerator(seed: 9))
            return attention(inputs[0], keyValidMask: mask, context: &context)
        }
        #expect(check.passed, "\(check)")
    }

    @Test func convertsItsFourProjections() {
        let (_, attention) = Self.make()
        let hidden = randomTensor([2, 3, 8], seed: 1)
        var context = ForwardContext.evaluation
        let float32 = withGradientsDisabled { attention(hidden, context: &context) }
        for precision in Precision.allCases {
            let converted = attention.converted(to: precision)
            let projections = [converted.query, converted.key, converted.value, converted.output]
            let expected = CPUFeatures.current.supportedPrecision(precision)
            #expect(projections.allSatisfy { $0.precision == expected })
            let output = withGradientsDisabled { converted(hidden, context: &context) }
            // Reduced-precision projections of width 8; softmax and mixing stay float32.
            #expect(maximumDifference(output.scalars, float32.scalars) <= 0.02)
        }
    }
}

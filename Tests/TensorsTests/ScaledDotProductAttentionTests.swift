import Foundation
import Tensors
import TestSupport
import Testing
import VTGCore

@Suite struct ScaledDotProductAttentionTests {
    /// The composed oracle: split heads, Q·Kᵀ·s + bias, (mask), softmax, ·V, merge heads.
    /// Shapes: q `[batch, queries, heads·size]`, k and v `[batch, keys, heads·size]`.
    static func reference(
        _ q: Tensor, _ k: Tensor, _ v: Tensor, heads: Int, bias: Tensor? = nil,
        dropped: Mask? = nil
    ) -> (output: Tensor, weights: Tensor) {
        let (batch, queries, width) = (q.shape[0], q.shape[1], q.shape[2])
        let keys = k.shape[1]
        let size = width / heads
        func split(_ x: Tensor, _ tokens: Int) -> Tensor {
            x.reshaped(to: [batch, tokens, heads, size]).transposed(0, 2, 1, 3)
        }
        var scores =
            matmul(split(q, queries), split(k, keys), transposeB: true)
            * (1 / Float(size).squareRoot())
        if let bias { scores = scores + bias }
        if let dropped { scores = scores.maskedFill(dropped, with: -.infinity) }
        let weights = scores.softmax(axis: -1)
        let output = matmul(weights, split(v, keys)).transposed(0, 2, 1, 3)
            .reshaped(to: [batch, queries, width])
        return (output, weights)
    }

    static func inputs(batch: Int = 2, queries: Int = 5, keys: Int = 7, width: Int = 12)
        -> (Tensor, Tensor, Tensor)
    {
        (
            randomTensor([batch, queries, width], in: -2..<2, seed: 1),
            randomTensor([batch, keys, width], in: -2..<2, seed: 2),
            randomTensor([batch, keys, width], in: -2..<2, seed: 3)
        )
    }

    // float32 dot products of 4-element heads and 7-term softmax sums: rounding ~1e-6.
    let tolerance: Float = 1e-5

    @Test func equalsTheComposedReference() {
        let (q, k, v) = Self.inputs()
        var generator = SeededGenerator(seed: 0)
        let fused = scaledDotProductAttention(
            query: q, key: k, value: v, headCount: 3, using: &generator)
        let composed = Self.reference(q, k, v, heads: 3)
        #expect(maximumDifference(fused.output.scalars, composed.output.scalars) < tolerance)
        #expect(maximumDifference(fused.weights.scalars, composed.weights.scalars) < tolerance)
        #expect(fused.weights.shape == [2, 3, 5, 7])
    }

    @Test func broadcastBiasesEqualTheReference() {
        let (q, k, v) = Self.inputs()
        for biasShape in [[2, 1, 1, 7], [1, 3, 5, 7], [5, 7], [2, 3, 5, 7], [7]] {
            let bias = randomTensor(biasShape, in: -1..<1, seed: 9)
            var generator = SeededGenerator(seed: 0)
            let fused = scaledDotProductAttention(
                query: q, key: k, value: v, headCount: 3, bias: bias, using: &generator)
            let composed = Self.reference(q, k, v, heads: 3, bias: bias)
            #expect(
                maximumDifference(fused.output.scalars, composed.output.scalars) < tolerance,
                "bias \(biasShape)")
        }
    }

    @Test func paddedKeysGetExactlyZeroWeight() {
        let (q, k, v) = Self.inputs()
        // Batch item 0 has 4 real keys, item 1 has all 7.
        var biasValues = [Float](repeating: 0, count: 14)
        for key in 4..<7 { biasValues[key] = -.infinity }
        let bias = Tensor(shape: [2, 1, 1, 7], scalars: biasValues)
        var generator = SeededGenerator(seed: 0)
        let fused = scaledDotProductAttention(
            query: q, key: k, value: v, headCount: 3, bias: bias, using: &generator)
        let weights = fused.weights
        for head in 0..<3 {
            for query in 0..<5 {
                for key in 4..<7 { #expect(weights[0, head, query, key] == 0) }
            }
        }
        // Changing a padded value changes nothing.
        let changed = v.copied()
        changed.withUnsafeMutableScalars { $0[5 * 12 + 2] += 100 }
        let again = scaledDotProductAttention(
            query: q, key: k, value: changed, headCount: 3, bias: bias, using: &generator)
        #expect(again.output.scalars == fused.output.scalars)
        let composed = Self.reference(q, k, v, heads: 3, bias: bias)
        #expect(maximumDifference(fused.output.scalars, composed.output.scalars) < tolerance)
    }

    @Test func rowWithoutAnyKeyIsZeroNotNaN() {
        let (q, k, v) = Self.inputs()
        let bias = Tensor(shape: [7], repeating: -.infinity)
        for tensor in [q, k, v] { tensor.requiresGrad = true }
        var generator = SeededGenerator(seed: 0)
        let fused = scaledDotProductAttention(
            query: q, key: k, value: v, headCount: 3, bias: bias, using: &generator)
        #expect(fused.output.scalars.allSatisfy { $0 == 0 })
        fused.output.sum().backward()
        for tensor in [q, k, v] {
            #expect(tensor.grad?.scalars.allSatisfy { $0 == 0 } == true)
        }
    }

    @Test func gradientsEqualTheReferenceAndPassAGradientCheck() {
        let (q, k, v) = Self.inputs()
        let bias = randomTensor([1, 3, 5, 7], in: -1..<1, seed: 4)
        let seed = randomTensor([2, 5, 12], seed: 5)
        func gradients(_ function: ([Tensor]) -> Tensor) -> [[Float]] {
            let leaves = [q, k, v, bias].map { $0.copied() }
            for leaf in leaves { leaf.requiresGrad = true }
            function(leaves).backward(seed: seed)
            return leaves.map { $0.grad?.scalars ?? [] }
        }
        let fused = gradients { x in
            var generator = SeededGenerator(seed: 0)
            return scaledDotProductAttention(
                query: x[0], key: x[1], value: x[2], headCount: 3, bias: x[3],
                using: &generator
            ).output
        }
        let composed = gradients { x in
            Self.reference(x[0], x[1], x[2], heads: 3, bias: x[3]).output
        }
        for (input, (a, b)) in zip(["query", "key", "value", "bias"], zip(fused, composed)) {
            // Sums of up to 35 float32 products of magnitude ≲ 4.
            #expect(maximumDifference(a, b) < 1e-4, "\(input)")
        }
        let check = gradientCheck([q, k, v, bias]) { x in
            var generator = SeededGenerator(seed: 0)
            return scaledDotProductAttention(
                query: x[0], key: x[1], value: x[2], headCount: 3, bias: x[3],
                using: &generator
            ).output
        }
        #expect(check.passed, "\(check)")
    }

    @Test func dropKeyDropsTheRequestedFraction() {
        let (q, k, v) = Self.inputs(batch: 4, queries: 64, keys: 64, width: 16)
        var generator = SeededGenerator(seed: 11)
        var dropped = 0
        var total = 0
        for _ in 0..<4 {
            let weights = scaledDotProductAttention(
                query: q, key: k, value: v, headCount: 4,
                dropout: .dropKey(probability: 0.3), using: &generator
            ).weights.scalars
            // A kept logit has weight e^(logit − max)/Σ > 0 for these bounded inputs.
            dropped += weights.filter { $0 == 0 }.count
            total += weights.count
        }
        let fraction = Double(dropped) / Double(total)
        // 262 144 Bernoulli(0.3) draws: σ = √(0.21/262144) ≈ 0.0009; 5σ.
        #expect(abs(fraction - 0.3) < 0.0045, "dropped fraction \(fraction)")
    }

    @Test func dropKeyEqualsTheReferenceWithItsMask() {
        let (q, k, v) = Self.inputs()
        var generator = SeededGenerator(seed: 12)
        let fused = scaledDotProductAttention(
            query: q, key: k, value: v, headCount: 3, dropout: .dropKey(probability: 0.4),
            using: &generator)
        let mask = Mask(shape: fused.weights.shape, values: fused.weights.scalars.map { $0 == 0 })
        #expect(mask.values.contains(true))
        let composed = Self.reference(q, k, v, heads: 3, dropped: mask)
        #expect(maximumDifference(fused.output.scalars, composed.output.scalars) < tolerance)
        // The kept weights renormalise: each row still sums to 1 (unless all were dropped).
        let weights = fused.weights.scalars
        for row in 0..<(weights.count / 7) {
            let sum = weights[(row * 7)..<(row * 7 + 7)].reduce(0, +)
            #expect(sum == 0 || abs(sum - 1) < 1e-5)
        }
    }

    @Test func dropKeyWithAFixedMaskPassesAGradientCheck() {
        let (q, k, v) = Self.inputs()
        let check = gradientCheck([q, k, v]) { x in
            var generator = SeededGenerator(seed: 13)  // the same mask on every call
            return scaledDotProductAttention(
                query: x[0], key: x[1], value: x[2], headCount: 3,
                dropout: .dropKey(probability: 0.3), using: &generator
            ).output
        }
        #expect(check.passed, "\(check)")
    }

    @Test func rowsWhoseKeysAreAllDroppedStayFinite() {
        // p = 0.95 over 3 keys: about 86 % of rows lose every key.
        let (q, k, v) = Self.inputs(queries: 6, keys: 3)
        for tensor in [q, k, v] { tensor.requiresGrad = true }
        var generator = SeededGenerator(seed: 14)
        let result = scaledDotProductAttention(
            query: q, key: k, value: v, headCount: 3, dropout: .dropKey(probability: 0.95),
            using: &generator)
        let weights = result.weights.scalars
        let emptyRows = (0..<(weights.count / 3)).filter { row in
            weights[(row * 3)..<(row * 3 + 3)].allSatisfy { $0 == 0 }
        }
        #expect(!emptyRows.isEmpty)
        #expect(result.output.scalars.allSatisfy { $0.isFinite })
        result.output.sum().backward()
        for tensor in [q, k, v] {
            #expect(tensor.grad?.scalars.allSatisfy { $0.isFinite } == true)
        }
    }

    @Test func probabilityDropoutRegeneratesItsMaskInBackward() {
        let (q, k, v) = Self.inputs()
        let check = gradientCheck([q, k, v]) { x in
            var generator = SeededGenerator(seed: 15)
            return scaledDotProductAttention(
                query: x[0], key: x[1], value: x[2], headCount: 3,
                dropout: .probabilityDropout(probability: 0.3), using: &generator
            ).output
        }
        #expect(check.passed, "\(check)")
        // The returned weights are the undropped distribution; the output differs from it.
        var generator = SeededGenerator(seed: 15)
        let dropped = scaledDotProductAttention(
            query: q, key: k, value: v, headCount: 3,
            dropout: .probabilityDropout(probability: 0.3), using: &generator)
        let plain = Self.reference(q, k, v, heads: 3)
        #expect(maximumDifference(dropped.weights.scalars, plain.weights.scalars) < tolerance)
        #expect(maximumDifference(dropped.output.scalars, plain.output.scalars) > 0.01)
    }

    @Test func noDropoutDrawsNothingFromTheGenerator() {
        let (q, k, v) = Self.inputs()
        var generator = SeededGenerator(seed: 16)
        _ = scaledDotProductAttention(query: q, key: k, value: v, headCount: 3, using: &generator)
        #expect(generator == SeededGenerator(seed: 16))
        _ = scaledDotProductAttention(
            query: q, key: k, value: v, headCount: 3, dropout: .dropKey(probability: 0.1),
            using: &generator)
        var expected = SeededGenerator(seed: 16)
        _ = expected.next()
        #expect(generator == expected)
    }
}

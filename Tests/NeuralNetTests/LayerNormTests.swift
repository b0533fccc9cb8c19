import NeuralNet
import Tensors
import TestSupport
import Testing

@Suite struct LayerNormTests {
    @Test func startsAsPlainNormalisationWithHuggingFaceNames() {
        let store = ParameterStore(seed: 1)
        let norm = LayerNorm(.init(size: 4, epsilon: 1e-12), parameters: store.scope("LayerNorm"))
        #expect(store.entries.map(\.path) == ["LayerNorm.weight", "LayerNorm.bias"])
        #expect(store.entries.allSatisfy { $0.role == .normalization })
        // [1, 2, 3, 4]: mean 2.5, variance 1.25 → (x − 2.5)/√1.25
        let y = norm(Tensor(shape: [1, 4], scalars: [1, 2, 3, 4])).scalars
        let expected: [Float] = [-1.5, -0.5, 0.5, 1.5].map { $0 / Float(1.25).squareRoot() }
        #expect(maximumDifference(y, expected) < 1e-6)
    }

    @Test func gainAndShiftApply() {
        let store = ParameterStore(seed: 1)
        let norm = LayerNorm(.init(size: 2), parameters: store.root)
        norm.weight.assign(Tensor(shape: [2], scalars: [2, 3]))
        norm.bias.assign(Tensor(shape: [2], scalars: [1, 1]))
        // [0, 2] → normalised [−1, 1] (ε = 1e-5 shifts it by ~5e-6) → [−1, 4]
        #expect(
            maximumDifference(norm(Tensor(shape: [2], scalars: [0, 2])).scalars, [-1, 4]) < 1e-4)
    }
}

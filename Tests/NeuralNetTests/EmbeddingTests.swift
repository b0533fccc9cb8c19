import NeuralNet
import Tensors
import Testing

@Suite struct EmbeddingTests {
    @Test func looksUpRowsAndScattersGradients() {
        let store = ParameterStore(seed: 1)
        let table = Embedding(.init(count: 4, size: 2), parameters: store.scope("word_embeddings"))
        table.weight.assign(Tensor(shape: [4, 2], scalars: [0, 1, 10, 11, 20, 21, 30, 31]))
        let rows = table([3, 1, 3], shape: [1, 3])
        #expect(rows.shape == [1, 3, 2])
        #expect(rows.scalars == [30, 31, 10, 11, 30, 31])
        rows.sum().backward()
        // Row 3 was used twice.
        #expect(table.weight.grad?.scalars == [0, 0, 1, 1, 0, 0, 2, 2])
        #expect(store.entries.map(\.path) == ["word_embeddings.weight"])
        #expect(store.entries[0].role == .embedding)
    }

    @Test func initialisations() {
        let store = ParameterStore(seed: 2)
        let standard = Embedding(.init(count: 100, size: 100), parameters: store.scope("a"))
        let bert = Embedding(
            .init(count: 100, size: 100, initialization: .normal(standardDeviation: 0.02)),
            parameters: store.scope("b"))
        func deviation(_ tensor: Tensor) -> Float {
            (tensor.scalars.map { $0 * $0 }.reduce(0, +) / Float(tensor.count)).squareRoot()
        }
        // 10 000 samples: the estimated deviation is within ~1.5 % (3σ).
        #expect(abs(deviation(standard.weight) - 1) < 0.03)
        #expect(abs(deviation(bert.weight) - 0.02) < 0.0006)
    }
}

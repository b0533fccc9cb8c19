import NeuralNet
import Tensors
import Testing

@Suite struct LearnedPositionEmbeddingTests {
    @Test func rowsForAPositionRange() {
        let store = ParameterStore(seed: 1)
        let positions = LearnedPositionEmbedding(
            .init(count: 5, size: 2), parameters: store.scope("embeddings.position_embeddings"))
        positions.table.weight.assign(Tensor(shape: [5, 2], scalars: (0..<10).map(Float.init)))
        #expect(positions(length: 2, offset: 3).scalars == [6, 7, 8, 9])
        #expect(store.entries.map(\.path) == ["embeddings.position_embeddings.weight"])
        // Broadcast over a batch.
        let batch = Tensor.zeros([4, 2, 2]) + positions(length: 2)
        #expect(batch.shape == [4, 2, 2])
    }
}

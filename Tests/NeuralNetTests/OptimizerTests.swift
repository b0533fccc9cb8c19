import NeuralNet
import Tensors
import Testing

@Suite struct OptimizerTests {
    static func model() -> ParameterStore {
        let store = ParameterStore(seed: 1)
        _ = Embedding(
            .init(count: 4, size: 2), parameters: store.scope("embeddings.word_embeddings"))
        _ = Linear(.init(inputSize: 2, outputSize: 2), parameters: store.scope("dense"))
        _ = LayerNorm(.init(size: 2), parameters: store.scope("LayerNorm"))
        _ = store.scope("prompt").parameter(
            "embedding", shape: [3, 2], role: .prompt, initializer: .zeros)
        return store
    }

    @Test func standardGroupsSplitByRole() {
        let store = Self.model()
        let groups = ParameterGroup.standard(
            store, learningRate: 1e-3, weightDecay: 0.01, promptLearningRate: 0.3)
        #expect(groups.map(\.name) == ["decay", "no decay", "prompts"])
        #expect(
            groups[0].entries.map(\.path) == ["embeddings.word_embeddings.weight", "dense.weight"])
        #expect(
            groups[1].entries.map(\.path) == ["dense.bias", "LayerNorm.weight", "LayerNorm.bias"])
        #expect(groups.map(\.weightDecay) == [0.01, 0, 0] && groups[2].learningRate == 0.3)
        // Prompt tuning: freeze everything else, only the prompt group is left.
        store.freeze(where: { $0.role != .prompt })
        let promptOnly = ParameterGroup.standard(store, learningRate: 1e-3, weightDecay: 0.01)
        #expect(promptOnly.map(\.name) == ["prompts"] && promptOnly[0].learningRate == 1e-3)
    }

    @Test func frozenParametersAndMissingGradientsAreSkipped() {
        let store = Self.model()
        let optimizer = AdamW(
            groups: ParameterGroup.standard(store, learningRate: 0.1, weightDecay: 0.5))
        let before = store.entries.map(\.tensor.scalars)
        for entry in store.entries {
            entry.tensor.grad = Tensor(shape: entry.tensor.shape, repeating: 1)
        }
        store.freeze(prefix: "dense")
        store["LayerNorm.bias"]?.grad = nil
        optimizer.step()
        for (entry, old) in zip(store.entries, before) {
            let moved = entry.tensor.scalars != old
            let shouldMove = !entry.path.hasPrefix("dense") && entry.path != "LayerNorm.bias"
            #expect(moved == shouldMove, "\(entry.path)")
        }
    }
}

import NeuralNet
import Tensors
import TestSupport
import Testing
import VTGCore

@testable import TextEncoding

@Suite struct BertEmbeddingsTests {
    @Test func takesHuggingFacePaths() {
        let store = ParameterStore(seed: 1)
        _ = BertEmbeddings(tinyBertConfiguration(), parameters: store.scope("embeddings"))
        #expect(
            store.entries.map(\.path) == [
                "embeddings.word_embeddings.weight", "embeddings.position_embeddings.weight",
                "embeddings.token_type_embeddings.weight", "embeddings.LayerNorm.weight",
                "embeddings.LayerNorm.bias",
            ])
        #expect(store["embeddings.position_embeddings.weight"]?.shape == [32, 8])
    }

    /// LayerNorm(word[id] + tokenType[0] + position[p]) · γ + β, recomputed element by element.
    @Test func sumsWordPositionAndTokenTypeThenNormalises() {
        let configuration = tinyBertConfiguration()
        let store = ParameterStore(seed: 2)
        let embeddings = BertEmbeddings(configuration, parameters: store.root)
        embeddings.layerNorm.weight.assign(randomTensor([8], in: 0.5..<1.5, seed: 3))
        embeddings.layerNorm.bias.assign(randomTensor([8], seed: 4))
        let ids = [3, 0, 7, 7, 1, 2]
        var context = ForwardContext.evaluation
        let output = embeddings(
            embeddings.wordVectors(ids, shape: [2, 3]), context: &context)
        #expect(output.shape == [2, 3, 8])

        let word = embeddings.wordEmbeddings.weight
        let position = embeddings.positionEmbeddings.weight
        let tokenType = embeddings.tokenTypeEmbeddings.weight
        let gamma = embeddings.layerNorm.weight
        let beta = embeddings.layerNorm.bias
        var expected: [Float] = []
        for (index, id) in ids.enumerated() {
            let p = index % 3
            let sum = (0..<8).map { word[id, $0] + tokenType[0, $0] + position[p, $0] }
            let mean = sum.reduce(0, +) / 8
            let variance = sum.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 8
            let scale = 1 / (variance + configuration.layerNormEpsilon).squareRoot()
            expected += (0..<8).map { (sum[$0] - mean) * scale * gamma[$0] + beta[$0] }
        }
        // float32 layer norm of 8 values of order 0.02 normalised to order 1.
        let tolerance: Float = 1e-5
        #expect(maximumDifference(output.scalars, expected) <= tolerance)
    }

    @Test func dropsOutOnlyWhenTrainingWithAProbability() {
        let configuration = tinyBertConfiguration()
        let ids = Array(repeating: 4, count: 12)
        let plain = BertEmbeddings(configuration, parameters: ParameterStore(seed: 6).root)
        let dropping = BertEmbeddings(
            configuration, parameters: ParameterStore(seed: 6).root, dropoutProbability: 0.5)
        var training = ForwardContext.training(generator: SeededGenerator(seed: 1))
        var evaluation = ForwardContext.evaluation
        let reference = plain(plain.wordVectors(ids, shape: [1, 12]), context: &evaluation)
        let trainedWithoutDropout = plain(
            plain.wordVectors(ids, shape: [1, 12]), context: &training)
        #expect(trainedWithoutDropout.scalars == reference.scalars)
        let evaluated = dropping(dropping.wordVectors(ids, shape: [1, 12]), context: &evaluation)
        #expect(evaluated.scalars == reference.scalars)
        let dropped = dropping(dropping.wordVectors(ids, shape: [1, 12]), context: &training)
        #expect(dropped.scalars.contains(0))
    }
}

import Foundation
import NeuralNet
import Tensors
import TestSupport
import Testing
import TextEncoding
import VTGCore

@testable import Grounding

@Suite struct QueryEncoderTests {
    @Test func anEncoderWithoutWeightsTakesNoPromptsAndIsRefusedForVocabularyPrompts() throws {
        let encoder = HashedWordEncoder()
        #expect(encoder.parameterCount == 0)
        #expect(!encoder.takesPrompts)
        let directory = try TemporaryDirectory(label: "grounding")
        let pretraining = try tinyPretraining(in: directory.url)
        let run = try tinyPromptRun(
            from: pretraining.directory,
            prompts: PromptTuningConfiguration(
                fusionPromptLength: 2, deepPromptLength: 0, initialization: .vocabulary))
        #expect(throws: GroundingError.self) {
            try GroundingNetwork(run: run, queryEncoder: encoder, loadingBackbone: true)
        }
    }

    @Test func miniLMGivesItsWordVectorsWeightsAndAPromptedPassOnTheTape() throws {
        let minilm = try MiniLMQueryEncoder()
        #expect(minilm.takesPrompts)
        let table = minilm.encoder.model.embeddings.wordEmbeddings.weight
        #expect(
            minilm.parameterCount
                == minilm.encoder.parameters.entries.reduce(0) { $0 + $1.tensor.count })
        #expect(minilm.parameterCount > table.count)
        let rows = try #require(
            minilm.wordVectors(.consecutiveVocabularyRows(start: 5), count: 3))
        #expect(rows.scalars == table.slice(axis: 0, range: 5..<8).scalars)
        #expect(minilm.wordVectors(.uniform, count: 3) == nil)

        let store = ParameterStore(seed: 1)
        let prompt = minilm.textPrompt(
            .init(length: 2, initialization: .firstVocabularyRows), parameters: store.root)
        var context = ForwardContext.evaluation
        let states = minilm.promptedTokenStates(
            of: ["open the door", "a person sits down"], prompt: prompt, context: &context)
        // [CLS] a person sits down [SEP]: 6 tokens; the prompt's 2 positions are left out.
        #expect(states.shape == [2, 6, minilm.stateSize])
        states.sum().backward()
        #expect(prompt.vectors.grad != nil)
    }
}

import Foundation
import NeuralNet
import Tensors
import TestSupport
import Testing

@testable import TextEncoding

@Suite struct CLIPTextEncoderPromptTests {
    /// float32 sums through 2 layers of width 32, the same operations in another batch shape.
    let tolerance: Float = 1e-5

    /// A prompt holding the token embeddings of "a video of" gives, for "person opens the door",
    /// the states of "a video of person opens the door" at the same positions, with the
    /// end-of-text token 3 positions later.
    @Test func aTextPromptStandsWhereItsWordsWould() throws {
        let folder = try CLIPTextGolden.modelFolder()
        let encoder = try CLIPTextEncoder(directory: folder.url)
        let store = ParameterStore(seed: 2)
        let prompt = encoder.softPrompt(
            .init(length: 3, initialization: .text("a video of")), parameters: store.root)
        #expect(encoder.promptRows(.text("a video of"), count: 5) == [320, 1455, 539, 320, 1455])

        let queries = ["person opens the door", "a cat"]
        let prompted = withGradientsDisabled { encoder.promptedStates(queries, prompt: prompt) }
        let plain = encoder.tokenStates(queries.map { "a video of " + $0 })
        #expect(prompted.endOfTextPositions == [8, 6])
        #expect(prompted.endOfTextPositions.map { $0 - 3 } == prompted.batch.lengths.map { $0 - 1 })
        let states = prompted.states.scalars
        let (positions, hidden) = (prompted.states.shape[1], encoder.hiddenSize)
        for (row, reference) in plain.enumerated() {
            #expect(reference.tokenCount == prompted.batch.lengths[row] + 3)
            let ours = Array(
                states[row * positions * hidden..<(row * positions + reference.tokenCount) * hidden]
            )
            let difference = zip(ours, reference.states).map { abs($0 - $1) }.max() ?? 0
            #expect(difference <= tolerance)
        }
        let tokenStates = prompted.tokenStates
        #expect(tokenStates.shape == [2, prompted.batch.sequenceLength, hidden])
    }

    /// Training the prompt through the frozen tower changes the prompt only.
    @Test func aPromptRunLeavesTheFrozenWeightsBitIdentical() throws {
        let folder = try CLIPTextGolden.modelFolder()
        let encoder = try CLIPTextEncoder(directory: folder.url)
        let before = encoder.parameters.entries.map { $0.tensor.scalars }
        let store = ParameterStore(seed: 3)
        let prompt = encoder.softPrompt(
            .init(length: 4, initialization: .randomVocabularyRows(seed: 5)),
            parameters: store.scope("prompt"))
        let initial = prompt.vectors.scalars
        let optimizer = AdamW(
            groups: ParameterGroup.standard(store, learningRate: 1e-2, weightDecay: 0.01))
        let target = Tensor(shape: [1, 1, encoder.hiddenSize], repeating: 0.1)
        for _ in 0..<3 {
            let output = encoder.promptedStates(["a person opens the door"], prompt: prompt)
            (output.tokenStates * target).sum().backward()
            optimizer.step()
            optimizer.zeroGradients()
        }
        #expect(prompt.vectors.scalars != initial)
        #expect(encoder.parameters.entries.map { $0.tensor.scalars } == before)
        #expect(encoder.parameters.entries.allSatisfy { $0.tensor.grad == nil })
    }

    @Test func theQueryIsTruncatedToLeaveRoomForThePrompt() throws {
        let folder = try CLIPTextGolden.modelFolder()
        let encoder = try CLIPTextEncoder(directory: folder.url)
        let prompt = encoder.softPrompt(
            .init(length: 10, initialization: .uniform), parameters: ParameterStore(seed: 4).root)
        let long = Array(repeating: "word", count: 100).joined(separator: " ")
        let output = withGradientsDisabled { encoder.promptedStates([long], prompt: prompt) }
        #expect(output.states.shape[1] == 77 && output.batch.sequenceLength == 67)
        #expect(output.endOfTextPositions == [76] && output.batch.wasTruncated == [true])
    }
}

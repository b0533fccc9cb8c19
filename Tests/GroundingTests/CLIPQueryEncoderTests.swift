import Foundation
import NeuralNet
import Tensors
import TestSupport
import Testing
import TextEncoding
import VTGCore

@testable import Grounding

@Suite struct CLIPQueryEncoderTests {
    /// CLIP's text tower under the grounding model: a context prompt from "a video of" trains
    /// with the head, CLIP's weights stay bit-identical, and the checkpoint holds only the
    /// trained tensors.
    @Test func aContextPromptTrainsThroughTheFrozenCLIPTextTower() throws {
        let folder = try TinyCLIPTextModel.folder()
        let encoder = try CLIPQueryEncoder(directory: folder.url)
        #expect(encoder.stateSize == 32 && encoder.takesPrompts)
        #expect(encoder.parameterCount == 49_408 * 32 + 77 * 32 + 2 * 8_544 + 64 + 16 * 32)
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pretraining = try tinyPretraining(in: directory, encoder: encoder)
        let prompts = PromptTuningConfiguration(
            textPromptLength: 4, fusionPromptLength: 0, deepPromptLength: 0,
            initialization: .text("a video of"))
        var run = try tinyPromptRun(from: pretraining.directory, prompts: prompts, epochs: 1)
        // As `--text-encoder clip --clip-model DIR` records it.
        run.model.textEncoder = .clip
        run.textModelPath = folder.url.path
        let clipBefore = encoder.encoder.parameters.entries.map {
            $0.tensor.scalars.map(\.bitPattern)
        }
        let runURL = directory.appendingPathComponent("clip-text")
        let trainer = try GroundingTrainer(
            run: run, directory: runURL, encoder: encoder, reporter: RecordingReporter())
        let path = "prompt.0.text.embedding.weight"
        let start = try #require(trainer.parameters[path]).scalars
        // CoOp's initialisation: the token embeddings of "a video of", repeated.
        let table = encoder.encoder.model.tokenEmbedding.weight
        #expect(start == table.indexSelect([320, 1455, 539, 320]).scalars)
        _ = try trainer.train(resume: false)
        #expect(trainer.parameters[path]?.scalars != start)
        #expect(
            encoder.encoder.parameters.entries.map { $0.tensor.scalars.map(\.bitPattern) }
                == clipBefore)
        let saved = try CheckpointFile(RunDirectory(runURL).bestCheckpoint).tensorNames
        let trained = trainer.parameters.entries.map(\.path).filter {
            !GroundingNetwork.isBackbone($0)
        }
        #expect(saved.contains(path) && Set(saved) == Set(trained))
        #expect(!saved.contains { CLIPTextEncoder.isTextTowerKey($0) })
        // Evaluation reads queries through the CLIP folder the run recorded.
        let grounder = try Grounder(runDirectory: runURL, textModelOption: nil)
        #expect(grounder.cache.encoder is CLIPQueryEncoder)
    }

    /// A query longer than 77 − N tokens keeps 77 cached states but only 77 − N prompted ones
    /// (the grounding network then masks the rest: `GroundingNetwork.textMask`).
    @Test func aLongQueryHasFewerPromptedStatesThanCachedOnes() throws {
        let folder = try TinyCLIPTextModel.folder()
        let encoder = try CLIPQueryEncoder(directory: folder.url)
        let query = Array(repeating: "door", count: 100).joined(separator: " ")
        let prompt = encoder.textPrompt(
            .init(length: 4, initialization: .text("a video of")),
            parameters: ParameterStore(seed: 2).root)
        var context = ForwardContext(isTraining: false, generator: SeededGenerator(seed: 0))
        let prompted = withGradientsDisabled {
            encoder.promptedTokenStates(of: [query], prompt: prompt, context: &context)
        }
        #expect(try encoder.tokenStates(of: [query])[0].tokenCount == 77)
        #expect(prompted.shape == [1, 73, 32])
    }

    @Test func aCLIPRunNeedsTheModelFolder() {
        var request = GroundingRunRequest()
        request.textEncoder = .clip
        #expect(throws: GroundingError.self) { try request.validate() }
        var model = GroundingModelConfiguration(featureDimension: 4, featureKind: "x", maxClips: 8)
        model.textEncoder = .clip
        #expect(throws: GroundingError.self) {
            _ = try makeQueryEncoder(for: model, textModelOption: nil)
        }
    }
}

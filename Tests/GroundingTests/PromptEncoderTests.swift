import Foundation
import NeuralNet
import Tensors
import TestSupport
import Testing
import VTGCore

@testable import Grounding

/// Stored prompt vectors and the encoder's output agree to float32 rounding of one pass.
private let storedPromptTolerance: Float = 1e-6

/// An encoder of width 3 over prompts of width 6: a fusion prompt of 2 vectors, deep prompts
/// of 2 layers × 3 vectors.
private func encoder(seed: UInt64 = 5) -> (encoder: PromptEncoder, store: ParameterStore) {
    let store = ParameterStore(seed: seed)
    let encoder = PromptEncoder(
        member: 0, width: 3, hiddenSize: 6, fusion: randomTensor([2, 6], seed: 1),
        deep: randomTensor([2, 3, 6], seed: 2), parameters: store)
    return (encoder, store)
}

@Suite struct PromptEncoderTests {
    @Test func itStartsAtThePlainPromptsUnderItsOwnPaths() throws {
        let (encoder, store) = encoder()
        #expect(try #require(encoder.fusion).scalars == randomTensor([2, 6], seed: 1).scalars)
        #expect(try #require(encoder.deep).scalars == randomTensor([2, 3, 6], seed: 2).scalars)
        #expect(store["prompt_encoder.0.fusion.weight"]?.shape == [2, 6])
        #expect(store["prompt_encoder.0.deep.weight"]?.shape == [2, 3, 6])
        #expect(store["prompt_encoder.0.dense.weight"]?.shape == [3, 6])
        #expect(store["prompt_encoder.0.output.weight"]?.scalars.allSatisfy { $0 == 0 } == true)
        #expect(store.trainableParameterCount == 12 + 36 + (6 * 3 + 3) + (3 * 6 + 6))
    }

    @Test func gradientCheckThroughTheMLPAndTheResidual() throws {
        let (encoder, store) = encoder()
        try #require(store["prompt_encoder.0.output.weight"]).assign(randomTensor([6, 3], seed: 3))
        let inputs = [
            "prompt_encoder.0.fusion.weight", "prompt_encoder.0.dense.weight",
            "prompt_encoder.0.dense.bias", "prompt_encoder.0.output.weight",
            "prompt_encoder.0.output.bias",
        ].compactMap { store[$0] }
        #expect(inputs.count == 5)
        // inputs[0] is the fusion prompt's source: encoder(inputs[0]) is `encoder.fusion`.
        let check = TestSupport.gradientCheck(inputs) { _ in encoder(inputs[0]) }
        #expect(check.passed, "\(check)")
        let normalization = PromptNormalization.rms
        let normalized = TestSupport.gradientCheck(inputs) { _ in
            normalization(encoder(inputs[0]))
        }
        #expect(normalized.passed, "\(normalized)")
    }

    @Test func rmsNormalizationGivesEveryVectorUnitRootMeanSquare() {
        let vectors = randomTensor([2, 3, 6], seed: 9) * 7
        let normalization = PromptNormalization.rms
        let scalars = normalization(vectors).scalars
        for start in stride(from: 0, to: scalars.count, by: 6) {
            let meanSquare = scalars[start..<(start + 6)].reduce(0) { $0 + $1 * $1 } / 6
            #expect(abs(meanSquare - 1) < 1e-4)
        }
    }

    @Test func reparameterisedTuningStoresTheEncodersOutputAsPlainPrompts() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pretraining = try tinyPretraining(in: directory)
        var prompts = PromptTuningTests.uniformPrompts
        prompts.encoderWidth = 3
        prompts.normalization = .rms
        let run = try tinyPromptRun(from: pretraining.directory, prompts: prompts)
        #expect(run.prompts?.encoderWidth == 3)
        let url = directory.appendingPathComponent("encoded")
        let trainer = try GroundingTrainer(
            run: run, directory: url, encoder: HashedWordEncoder(), reporter: RecordingReporter())
        let plain = ["prompt.0.fusion.embedding.weight", "prompt.0.deep.embedding.weight"]
        // What is trained: the sources and the MLP, not the stored vectors.
        for path in plain { #expect(trainer.parameters[path]?.requiresGrad == false) }
        let trained = trainer.parameters.trainableEntries.map(\.path)
        #expect(trained.contains("prompt_encoder.0.fusion.weight"))
        #expect(trained.contains("prompt_encoder.0.output.weight"))
        let before = snapshot(trainer.parameters)
        let summary = try trainer.train(resume: false)
        let after = snapshot(trainer.parameters)
        #expect(before["prompt_encoder.0.dense.weight"] != after["prompt_encoder.0.dense.weight"])
        // The last state's stored vectors are its encoder's output.
        let last = try Checkpoint.weights(at: RunDirectory(url).lastCheckpoint).weights
        let store = ParameterStore(weights: last, source: "last")
        let stored = try plain.map { try #require(last[$0]) }
        let reloaded = PromptEncoder(
            member: 0, width: 3, hiddenSize: run.model.hiddenSize, fusion: stored[0],
            deep: stored[1], parameters: store)
        #expect(store["prompt_encoder.0.output.weight"]?.scalars.allSatisfy { $0 == 0 } == false)
        for (path, output) in zip(plain, [reloaded.fusion, reloaded.deep]) {
            let expected = try #require(withGradientsDisabled { output }).scalars
            let values = try #require(last[path]).scalars
            #expect(zip(values, expected).allSatisfy { abs($0 - $1) <= storedPromptTolerance })
            #expect(before[path] != values, "\(path) was never refreshed")
        }
        // The best checkpoint holds plain prompts and the head, as a run without the encoder.
        let best = try CheckpointFile(RunDirectory(url).bestCheckpoint).tensorNames
        #expect(best.contains(plain[0]) && best.contains(plain[1]))
        #expect(!best.contains { $0.hasPrefix(PromptEncoder.prefix) })
        #expect(
            try CheckpointFile(RunDirectory(url).lastCheckpoint).tensorNames.contains(
                "prompt_encoder.0.dense.weight"))
        let evaluation = try Grounder(runDirectory: url, encoder: HashedWordEncoder()).evaluate()
        #expect(evaluation.report == summary.bestMetrics)
    }

    @Test func resumingAReparameterisedRunIsBitIdentical() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pretraining = try tinyPretraining(in: directory)
        var prompts = PromptTuningTests.uniformPrompts
        prompts.encoderWidth = 2
        let run = try tinyPromptRun(from: pretraining.directory, prompts: prompts, epochs: 2)
        func trainer(_ name: String) throws -> GroundingTrainer {
            try GroundingTrainer(
                run: run, directory: directory.appendingPathComponent(name),
                encoder: HashedWordEncoder(), reporter: RecordingReporter())
        }
        let straight = try trainer("straight")
        _ = try straight.train(resume: false)
        _ = try trainer("interrupted").train(resume: false, epochLimit: 1)
        let resumed = try trainer("interrupted")
        _ = try resumed.train(resume: true)
        let (a, b) = (snapshot(straight.parameters), snapshot(resumed.parameters))
        for (path, values) in a {
            #expect(values.map(\.bitPattern) == b[path]?.map(\.bitPattern), "\(path)")
        }
    }
}

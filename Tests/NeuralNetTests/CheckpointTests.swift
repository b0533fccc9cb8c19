import Foundation
import NeuralNet
import Tensors
import TestSupport
import Testing
import VTGCore

@Suite struct CheckpointTests {
    static func model(seed: UInt64) -> SortingModel {
        SortingModel(
            seed: seed, hiddenDropout: 0.1,
            attentionDropout: .constant(.dropKey(probability: 0.1)))
    }

    static func optimizer(_ model: SortingModel) -> AdamW {
        AdamW(
            groups: ParameterGroup.standard(model.store, learningRate: 3e-3, weightDecay: 0.01),
            schedule: .linearDecay(warmupSteps: 5, totalSteps: 20))
    }

    static func train(
        _ model: SortingModel, _ optimizer: AdamW, steps: Int, context: inout ForwardContext
    ) -> [Float] {
        (0..<steps).map { _ in
            sortingTrainingStep(
                model: model, optimizer: optimizer, batchSize: 16, context: &context)
        }
    }

    @Test func resumedTrainingIsBitIdentical() throws {
        let directory = try TemporaryDirectory(label: "checkpoint")
        let folder = directory.url
        let url = folder.appendingPathComponent("step-10.safetensors")

        // 20 steps in one go (dropout and DropKey on).
        let straight = Self.model(seed: 5)
        let straightOptimizer = Self.optimizer(straight)
        var straightContext = ForwardContext.training(generator: SeededGenerator(seed: 42))
        let straightLosses = Self.train(
            straight, straightOptimizer, steps: 20, context: &straightContext)

        // 10 steps, a checkpoint, then everything rebuilt from scratch (another initial seed,
        // so only the checkpoint can make it agree) and 10 more steps.
        let first = Self.model(seed: 5)
        let firstOptimizer = Self.optimizer(first)
        var firstContext = ForwardContext.training(generator: SeededGenerator(seed: 42))
        let firstLosses = Self.train(first, firstOptimizer, steps: 10, context: &firstContext)
        try Checkpoint.save(
            to: url, parameters: first.store, optimizer: firstOptimizer,
            progress: TrainingProgress(
                epoch: 0, batch: 10, generatorState: firstContext.generator.state),
            configuration: #"{"task": "sorting"}"#)

        let resumed = Self.model(seed: 77)
        let resumedOptimizer = Self.optimizer(resumed)
        let contents = try Checkpoint.restore(
            from: url, into: resumed.store, optimizer: resumedOptimizer)
        let progress = try #require(contents.progress)
        #expect(progress.batch == 10 && contents.configuration == #"{"task": "sorting"}"#)
        #expect(resumedOptimizer.stepCount == 10 && contents.optimizerStep == 10)
        var resumedContext = ForwardContext.training(
            generator: SeededGenerator(state: progress.generatorState))
        let resumedLosses = Self.train(
            resumed, resumedOptimizer, steps: 10, context: &resumedContext)

        #expect(firstLosses + resumedLosses == straightLosses)
        for (a, b) in zip(straight.store.entries, resumed.store.entries) {
            #expect(a.path == b.path && a.tensor.scalars == b.tensor.scalars, "\(a.path)")
        }
        let straightState = straightOptimizer.stateTensors()
        for (key, tensor) in resumedOptimizer.stateTensors() {
            #expect(straightState[key]?.scalars == tensor.scalars, "\(key)")
        }
    }

    @Test func damagedCheckpointChangesNothing() throws {
        let directory = try TemporaryDirectory(label: "checkpoint")
        let folder = directory.url
        let url = folder.appendingPathComponent("model.safetensors")
        let saved = Self.model(seed: 1)
        let savedOptimizer = Self.optimizer(saved)
        var context = ForwardContext.training(generator: SeededGenerator(seed: 2))
        _ = Self.train(saved, savedOptimizer, steps: 2, context: &context)
        try Checkpoint.save(to: url, parameters: saved.store, optimizer: savedOptimizer)
        let good = try Data(contentsOf: url)

        let target = Self.model(seed: 9)
        let targetOptimizer = Self.optimizer(target)
        let weightsBefore = target.store.entries.map(\.tensor.scalars)
        let stateBefore = targetOptimizer.stateTensors().mapValues(\.scalars)
        for (name, bytes) in [
            ("truncated", good.prefix(good.count / 2)), ("flipped", flippedByte(good)),
        ] {
            let damaged = folder.appendingPathComponent("\(name).safetensors")
            try bytes.write(to: damaged)
            do {
                try Checkpoint.restore(
                    from: damaged, into: target.store, optimizer: targetOptimizer)
                Issue.record("\(name): no error")
            } catch {
                guard case .file = error else {
                    Issue.record("\(name): \(error)")
                    continue
                }
                #expect(error.description.contains(damaged.path))
            }
            #expect(try Data(contentsOf: damaged) == bytes, "\(name): the file changed")
        }
        #expect(target.store.entries.map(\.tensor.scalars) == weightsBefore)
        #expect(targetOptimizer.stateTensors().mapValues(\.scalars) == stateBefore)
        #expect(targetOptimizer.stepCount == 0)
        #expect(try Data(contentsOf: url) == good)
    }

    @Test func mismatchedModelListsEveryProblemAndChangesNothing() throws {
        let directory = try TemporaryDirectory(label: "checkpoint")
        let folder = directory.url
        let url = folder.appendingPathComponent("model.safetensors")
        let saved = SortingModel(seed: 1, hiddenSize: 32)
        try Checkpoint.save(to: url, parameters: saved.store)
        let other = SortingModel(seed: 2, layerCount: 1, hiddenSize: 16)
        let before = other.store.entries.map(\.tensor.scalars)
        do {
            try Checkpoint.restore(from: url, into: other.store)
            Issue.record("no error")
        } catch {
            guard case .weights(let problems) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(problems.unexpected.contains("encoder.layer.1.output.dense.weight"))
            #expect(
                problems.mismatched.contains {
                    $0.path == "classifier.weight" && $0.expected == [8, 16]
                        && $0.actual == [8, 32]
                })
        }
        #expect(other.store.entries.map(\.tensor.scalars) == before)
        // Asking for optimiser state that a weights-only checkpoint lacks is an error too.
        let same = SortingModel(seed: 3, hiddenSize: 32)
        #expect(throws: CheckpointError.self) {
            try Checkpoint.restore(from: url, into: same.store, optimizer: Self.optimizer(same))
        }
    }

    @Test func promptOnlyCheckpointLoadsPartially() throws {
        let directory = try TemporaryDirectory(label: "checkpoint")
        let folder = directory.url
        let url = folder.appendingPathComponent("prompts.safetensors")
        func build(seed: UInt64) -> (ParameterStore, Tensor) {
            let model = SortingModel(seed: seed)
            let prompt = model.store.scope("prompt").parameter(
                "embedding", shape: [4, 32], role: .prompt,
                initializer: .normal(standardDeviation: 1))
            model.store.freeze(where: { $0.role != .prompt })
            return (model.store, prompt)
        }
        let (trained, trainedPrompt) = build(seed: 1)
        try Checkpoint.save(to: url, parameters: trained, including: \.isTrainable)
        #expect(try CheckpointFile(url).tensorNames == ["prompt.embedding"])
        let (backbone, prompt) = build(seed: 2)
        let backboneBefore = backbone.entries.filter { $0.role != .prompt }.map(\.tensor.scalars)
        #expect(throws: CheckpointError.self) { try Checkpoint.restore(from: url, into: backbone) }
        try Checkpoint.restore(from: url, into: backbone, policy: .partial)
        #expect(prompt.scalars == trainedPrompt.scalars)
        #expect(
            backbone.entries.filter { $0.role != .prompt }.map(\.tensor.scalars) == backboneBefore)
    }
}

private func flippedByte(_ data: Data) -> Data {
    var copy = data
    copy[copy.count - 10] ^= 0x01
    return copy
}

import Foundation
import NeuralNet
import Tensors
import TestSupport
import Testing
import VTGCore

@testable import Grounding

/// Merged and unmerged span probabilities agree to float32 rounding.
private let mergeTolerance: Float = 1e-5

/// A run of `tuning` (LoRA or last-layer) on top of a tiny pretraining run; LoRA on the layers'
/// attention and feed-forward projections unless `loraTargets` names others.
func tinyParameterEfficientRun(
    from pretraining: URL, tuning: TuningMode, epochs: Int = 2,
    loraTargets: [String] = LowRankAdaptationConfiguration.standardTargets
) throws -> GroundingRunConfiguration {
    var request = GroundingRunRequest()
    request.pretrainingRunPath = pretraining.path
    request.tuning = tuning
    request.loraTargets = loraTargets
    request.loraRank = 2
    request.loraDropout = 0.1
    request.epochs = epochs
    request.batchSize = 8
    request.learningRate = 5e-3
    request.seed = 4
    return try request.makeConfiguration()
}

@Suite struct LowRankTuningTests {
    @Test func loraTrainsOnlyItsUpdatesAndTheHeadAndSavesOnlyThem() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pretraining = try tinyPretraining(in: directory)
        let run = try tinyParameterEfficientRun(from: pretraining.directory, tuning: .lora)
        #expect(run.lowRankAdaptation?.rank == 2)
        let runURL = directory.appendingPathComponent("lora")
        let trainer = try GroundingTrainer(
            run: run, directory: runURL, encoder: HashedWordEncoder(),
            reporter: RecordingReporter())
        let before = snapshot(trainer.parameters)
        let summary = try trainer.train(resume: false)
        let after = snapshot(trainer.parameters)
        for path in before.keys where GroundingNetwork.isBackbone(path) {
            #expect(before[path]?.map(\.bitPattern) == after[path]?.map(\.bitPattern), "\(path)")
        }
        let updates = before.keys.filter(GroundingNetwork.isLowRankUpdate).sorted()
        // One video and one fusion layer, six projections each, A and B each.
        #expect(updates.count == 2 * 6 * 2)
        #expect(updates.contains("lora.fusion.encoder.layer.0.attention.self.query.down"))
        #expect(updates.contains("lora.video.encoder.layer.0.intermediate.dense.up"))
        #expect(
            trainer.parameters["lora.fusion.encoder.layer.0.output.dense.up"]?.shape == [32, 2])
        for path in updates where path.hasSuffix(".up") {
            #expect(before[path] != after[path], "\(path) did not change")
        }
        let trained = before.keys.filter { !GroundingNetwork.isBackbone($0) }.sorted()
        let best = try CheckpointFile(RunDirectory(runURL).bestCheckpoint)
        #expect(best.tensorNames.sorted() == trained)
        // The saved run predicts as trained.
        let evaluation = try Grounder(runDirectory: runURL, encoder: HashedWordEncoder())
            .evaluate()
        #expect(evaluation.report == summary.bestMetrics)
    }

    @Test func defaultLoRAAdaptsTheInputProjectionsAtItsOwnLearningRate() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pretraining = try tinyPretraining(in: directory)
        var request = GroundingRunRequest()
        request.pretrainingRunPath = pretraining.directory.path
        request.tuning = .lora
        let run = try request.makeConfiguration()
        #expect(run.lowRankAdaptation == .grounding)
        #expect(
            run.training.adapterLearningRate
                == GroundingTrainingConfiguration.standardAdapterLearningRate)
        let network = try GroundingNetwork(
            run: run, queryEncoder: HashedWordEncoder(), loadingBackbone: true)
        let updates = network.parameters.entries.map(\.path).filter(
            GroundingNetwork.isLowRankUpdate
        ).sorted()
        // Every layer's six projections and the three input projections, a down and an up each.
        let layers = run.model.videoLayerCount + run.model.fusionLayerCount
        #expect(updates.count == 2 * (6 * layers + 3))
        for input in LowRankAdaptationConfiguration.groundingInputTargets {
            #expect(updates.contains("lora.\(input).down"), "\(input)")
        }
        #expect(updates.contains("lora.fusion.encoder.layer.0.attention.self.query.up"))
        #expect(run.model.headWidth == run.model.hiddenSize / 4)
        // The updates get the adapter rate; the head keeps the run's rate.
        let groups = ParameterGroup.standard(
            network.parameters, learningRate: run.training.learningRate,
            weightDecay: run.training.weightDecay,
            adapterLearningRate: run.training.adapterLearningRate)
        let adapters = groups.first { $0.name == "adapters" }
        #expect(adapters?.entries.map(\.path).sorted() == updates)
        #expect(adapters?.learningRate == GroundingTrainingConfiguration.standardAdapterLearningRate)
        #expect(groups.filter { $0.name != "adapters" }.allSatisfy { $0.learningRate == 5e-4 })
        request.adapterLearningRate = 2e-3
        #expect(try request.makeConfiguration().training.adapterLearningRate == 2e-3)
    }

    @Test func theMergedModelPredictsAsTheUnmergedOne() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pretraining = try tinyPretraining(in: directory)
        let run = try tinyParameterEfficientRun(from: pretraining.directory, tuning: .lora)
        let network = try GroundingNetwork(
            run: run, queryEncoder: HashedWordEncoder(), loadingBackbone: true)
        for entry in network.parameters.entries
        where GroundingNetwork.isLowRankUpdate(entry.path) && entry.path.hasSuffix(".up") {
            entry.tensor.assign(randomTensor(entry.tensor.shape, seed: UInt64(entry.path.count)))
        }
        var plainRun = run
        plainRun.tuning = .full
        plainRun.lowRankAdaptation = nil
        let plain = try GroundingNetwork(
            run: plainRun, queryEncoder: HashedWordEncoder(), loadingBackbone: false)
        try plain.parameters.load(network.mergedLowRankWeights(), source: "merged")

        let trainer = try GroundingTrainer(
            run: run, directory: directory.appendingPathComponent("batches"),
            encoder: HashedWordEncoder(), reporter: RecordingReporter())
        let samples = Array(trainer.evaluationSet.samples.prefix(6))
        try trainer.data.cache.prepare(samples.map(\.query))
        let batch = try trainer.data.batches.batch(of: samples)
        let adapted = network.spanProbabilities(batch)
        let merged = plain.spanProbabilities(batch)
        var largest: Float = 0
        for (a, b) in zip(adapted, merged) {
            largest = max(largest, maximumDifference(a.start, b.start))
            largest = max(largest, maximumDifference(a.end, b.end))
        }
        #expect(largest < mergeTolerance)
        // The updates matter: without them the predictions differ.
        let frozen = try GroundingNetwork(
            run: plainRun, queryEncoder: HashedWordEncoder(), loadingBackbone: false)
        var weights = network.mergedLowRankWeights()
        for entry in network.parameters.entries where !GroundingNetwork.isLowRankUpdate(entry.path)
        {
            weights[entry.path] = entry.tensor
        }
        try frozen.parameters.load(weights, source: "unmerged")
        let without = frozen.spanProbabilities(batch)
        #expect(maximumDifference(without[0].start, adapted[0].start) > 1e-4)
    }

    @Test func lastLayerTuningTrainsTheLastFusionLayerAndTheHead() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pretraining = try tinyPretraining(in: directory)
        let run = try tinyParameterEfficientRun(from: pretraining.directory, tuning: .lastLayer)
        let trainer = try GroundingTrainer(
            run: run, directory: directory.appendingPathComponent("last"),
            encoder: HashedWordEncoder(), reporter: RecordingReporter())
        let before = snapshot(trainer.parameters)
        _ = try trainer.train(resume: false)
        let after = snapshot(trainer.parameters)
        let last = GroundingNetwork.lastFusionLayerPrefix(run.model)
        #expect(last == "fusion.encoder.layer.0")
        for path in before.keys.sorted() {
            let trained = !GroundingNetwork.isBackbone(path) || path.hasPrefix(last + ".")
            let changed = before[path] != after[path]
            if trained, path.hasSuffix("weight") { #expect(changed, "\(path) did not change") }
            if !trained { #expect(!changed, "\(path) changed") }
        }
    }
}

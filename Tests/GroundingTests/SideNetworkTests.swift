import Foundation
import NeuralNet
import Tensors
import TestSupport
import Testing
import VTGCore

@testable import Grounding

/// A side network of two layers over width 6, side width 3.
private func sideNetwork(seed: UInt64 = 8) -> (network: SideNetwork, store: ParameterStore) {
    let store = ParameterStore(seed: seed)
    let network = SideNetwork(
        hiddenSize: 6, layerCount: 2, width: 3, parameters: store.scope(SideNetwork.prefix))
    return (network, store)
}

@Suite struct SideNetworkTests {
    @Test func itStartsAsTheFrozenBackbonesLastLayer() {
        let (network, store) = sideNetwork()
        #expect(store["side.up.weight"]?.scalars.allSatisfy { $0 == 0 } == true)
        #expect(store["side.layer.1.gate.weight"]?.shape == [3, 6])
        let videos = [randomTensor([2, 5, 6], seed: 1), randomTensor([2, 5, 6], seed: 2)]
        let sentences = [randomTensor([2, 1, 6], seed: 3), randomTensor([2, 1, 6], seed: 4)]
        #expect(
            network(videoStates: videos, sentenceStates: sentences).scalars == videos[1].scalars)
    }

    @Test func gradientCheckThroughEveryLayerAndTheGate() throws {
        let (network, store) = sideNetwork()
        try #require(store["side.up.weight"]).assign(randomTensor([6, 3], seed: 5))
        let videos = [randomTensor([2, 4, 6], seed: 6), randomTensor([2, 4, 6], seed: 7)]
        let sentences = [randomTensor([2, 1, 6], seed: 8), randomTensor([2, 1, 6], seed: 9)]
        let parameters = [
            "side.layer.0.down.weight", "side.layer.0.gate.weight", "side.layer.0.mix.weight",
            "side.layer.1.down.weight", "side.layer.1.gate.bias", "side.layer.1.LayerNorm.weight",
            "side.up.weight",
        ].compactMap { store[$0] }
        #expect(parameters.count == 7)
        let check = TestSupport.gradientCheck(videos + sentences + parameters) { _ in
            network(videoStates: videos, sentenceStates: sentences)
        }
        #expect(check.passed, "\(check)")
    }

    @Test func sideTuningTrainsOnlyTheSideNetworkAndTheHead() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pretraining = try tinyPretraining(in: directory)
        let run = try tinyParameterEfficientRun(from: pretraining.directory, tuning: .side)
        let url = directory.appendingPathComponent("side")
        let trainer = try GroundingTrainer(
            run: run, directory: url, encoder: HashedWordEncoder(), reporter: RecordingReporter())
        let before = snapshot(trainer.parameters)
        let summary = try trainer.train(resume: false)
        let after = snapshot(trainer.parameters)
        for path in before.keys where GroundingNetwork.isBackbone(path) {
            #expect(before[path]?.map(\.bitPattern) == after[path]?.map(\.bitPattern), "\(path)")
        }
        #expect(before["side.up.weight"] != after["side.up.weight"])
        #expect(before["side.layer.0.down.weight"] != after["side.layer.0.down.weight"])
        let trained = before.keys.filter { !GroundingNetwork.isBackbone($0) }.sorted()
        #expect(
            try CheckpointFile(RunDirectory(url).bestCheckpoint).tensorNames.sorted() == trained)
        let evaluation = try Grounder(runDirectory: url, encoder: HashedWordEncoder()).evaluate()
        #expect(evaluation.report == summary.bestMetrics)
    }
}

import NeuralNet
import Tensors
import TestSupport
import Testing
import VTGCore

/// Merged and unmerged outputs agree to float32 rounding of sums of a few dozen products.
private let mergeTolerance: Float = 1e-5

/// A store whose `Linear` layers named `dense` get a LoRA update of `rank`.
private func adaptedStore(rank: Int, dropout: Float = 0, seed: UInt64 = 4) -> ParameterStore {
    let store = ParameterStore(seed: seed)
    store.lowRankAdaptation = LowRankAdaptationConfiguration(
        rank: rank, alpha: 2 * Float(rank), dropout: dropout, targets: ["dense"])
    store.lowRankAdaptationSeed = seed
    return store
}

@Suite struct LowRankAdapterTests {
    @Test func theUpdateHasRankRShapesAndStartsAtZero() throws {
        let store = adaptedStore(rank: 3)
        let layer = Linear(
            .init(inputSize: 6, outputSize: 5), parameters: store.scope("block.dense"))
        let adapter = try #require(layer.adapter)
        #expect(adapter.down.shape == [3, 6])
        #expect(adapter.up.shape == [5, 3])
        #expect(store["lora.block.dense.down"] === adapter.down)
        #expect(store["lora.block.dense.up"] === adapter.up)
        #expect(adapter.up.scalars.allSatisfy { $0 == 0 })
        #expect(adapter.down.scalars.contains { $0 != 0 })
        // B = 0: the adapted layer computes exactly the frozen one.
        let input = randomTensor([2, 4, 6], seed: 9)
        #expect(
            layer(input).scalars == linear(input, weight: layer.weight, bias: layer.bias).scalars)
        // Layers the configuration does not target get no update.
        let other = Linear(.init(inputSize: 6, outputSize: 5), parameters: store.scope("proj"))
        #expect(other.adapter == nil)
    }

    @Test func addingUpdatesLeavesTheOtherParametersInitialValues() {
        let plain = ParameterStore(seed: 4)
        let adapted = adaptedStore(rank: 2)
        let first = Linear(.init(inputSize: 4, outputSize: 4), parameters: plain.scope("a.dense"))
        _ = Linear(.init(inputSize: 4, outputSize: 4), parameters: plain.scope("b"))
        let second = Linear(
            .init(inputSize: 4, outputSize: 4), parameters: adapted.scope("a.dense"))
        _ = Linear(.init(inputSize: 4, outputSize: 4), parameters: adapted.scope("b"))
        #expect(first.weight.scalars == second.weight.scalars)
        #expect(plain["b.weight"]?.scalars == adapted["b.weight"]?.scalars)
    }

    @Test func mergedWeightsPredictAsTheUnmergedLayer() throws {
        let store = adaptedStore(rank: 4)
        let layer = Linear(.init(inputSize: 8, outputSize: 6), parameters: store.scope("dense"))
        let adapter = try #require(layer.adapter)
        adapter.up.assign(randomTensor([6, 4], seed: 11))
        let input = randomTensor([3, 5, 8], seed: 12)
        let unmerged = layer(input)
        let merged = linear(input, weight: adapter.merged(into: layer.weight), bias: layer.bias)
        #expect(maximumDifference(unmerged.scalars, merged.scalars) < mergeTolerance)
        #expect(
            maximumDifference(
                unmerged.scalars,
                linear(
                    input, weight: layer.weight,
                    bias: layer.bias
                ).scalars) > 0.01)
    }

    @Test func gradientCheckOfTheAdaptedLinear() throws {
        let store = adaptedStore(rank: 2)
        let layer = Linear(.init(inputSize: 4, outputSize: 3), parameters: store.scope("dense"))
        let adapter = try #require(layer.adapter)
        adapter.up.assign(randomTensor([3, 2], seed: 13))
        let input = randomTensor([2, 5, 4], seed: 6)
        let check = TestSupport.gradientCheck([input, adapter.down, adapter.up]) { _ in
            layer(input)
        }
        #expect(check.passed, "\(check)")
    }

    @Test func dropoutActsOnTheUpdateInTrainingOnly() throws {
        let store = adaptedStore(rank: 2, dropout: 0.5)
        let layer = Linear(.init(inputSize: 4, outputSize: 3), parameters: store.scope("dense"))
        try #require(layer.adapter).up.assign(randomTensor([3, 2], seed: 14))
        let input = randomTensor([2, 8, 4], seed: 15)
        var evaluation = ForwardContext(isTraining: false, generator: SeededGenerator(seed: 1))
        var training = ForwardContext(isTraining: true, generator: SeededGenerator(seed: 1))
        #expect(layer(input, context: &evaluation).scalars == layer(input).scalars)
        #expect(layer(input, context: &training).scalars != layer(input).scalars)
    }

    @Test func targetsMatchPathEndingsWithinScopes() {
        let configuration = LowRankAdaptationConfiguration(scopes: ["fusion.encoder"])
        #expect(configuration.adapts("fusion.encoder.layer.0.attention.self.query"))
        #expect(configuration.adapts("fusion.encoder.layer.1.output.dense"))
        #expect(!configuration.adapts("video.encoder.layer.0.attention.self.query"))
        #expect(!configuration.adapts("fusion.query_interaction"))
        #expect(configuration.scale == 2)
    }
}

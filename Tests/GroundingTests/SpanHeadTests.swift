import Datasets
import Foundation
import NeuralNet
import Tensors
import TestSupport
import Testing
import VTGCore

@testable import Grounding

@Suite struct SpanHeadTests {
    /// One video of 5 clips and a query of 2 tokens.
    static var batch: GroundingBatch {
        GroundingBatch(
            samples: [
                GroundingSample(
                    queryID: 0, videoID: "v", durationSeconds: 10, query: "q", targets: [])
            ],
            features: [
                ClipFeatures(
                    values: .init(repeating: 0.5, count: 20), clipCount: 5, featureDimension: 4)
            ],
            states: [QueryStates(tokenCount: 2, stateSize: 3, values: [1, 0, 0, 0, 1, 0])])
    }

    /// A head of width w over tokens of width h has 2·(h·w + w) + (w + 1) + (3w·2 + 2) scalars.
    @Test func aNarrowerHeadHasTheParametersOfItsWidth() {
        for (hidden, width) in [(8, nil), (8, 3), (256, 64)] as [(Int, Int?)] {
            let store = ParameterStore(seed: 1)
            let head = SpanHead(hiddenSize: hidden, width: width, parameters: store.root)
            let w = width ?? hidden
            #expect(store.trainableParameterCount == 2 * (hidden * w + w) + (w + 1) + (6 * w + 2))
            let logits = head(
                fusedVideo: randomTensor([1, 5, hidden], seed: 2),
                classification: randomTensor([1, hidden], seed: 3), batch: Self.batch)
            #expect(logits.start.shape == [1, 5] && logits.inside.shape == [1, 5])
        }
    }

    @Test func aParameterEfficientRunNarrowsTheHeadOfAPretrainedBackbone() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pretraining = try tinyPretraining(in: directory)
        var request = GroundingRunRequest()
        request.pretrainingRunPath = pretraining.directory.path
        request.tuning = .prompt
        request.setPrompts(PromptTuningTests.uniformPrompts)
        // By default a prompt-tuned or LoRA head is a quarter of the width; other modes keep it.
        let hidden = pretraining.run.model.hiddenSize
        #expect(try request.makeConfiguration().model.headWidth == hidden / 4)
        request.tuning = .lora
        #expect(try request.makeConfiguration().model.headWidth == hidden / 4)
        for tuning in [TuningMode.full, .lastLayer, .side] {
            request.tuning = tuning
            #expect(try request.makeConfiguration().model.headWidth == nil)
        }
        request.tuning = .prompt
        request.headWidth = 4
        request.epochs = 1
        request.batchSize = 8
        let run = try request.makeConfiguration()
        #expect(run.model.headWidth == 4)
        let network = try GroundingNetwork(
            run: run, queryEncoder: HashedWordEncoder(), loadingBackbone: true)
        #expect(network.parameters["span_head.dense.weight"]?.shape == [4, run.model.hiddenSize])
        #expect(network.parameters["span_head.output.weight"]?.shape == [2, 12])
        let url = directory.appendingPathComponent("narrow")
        let summary = try GroundingTrainer(
            run: run, directory: url, encoder: HashedWordEncoder(), reporter: RecordingReporter()
        ).train(resume: false)
        let evaluation = try Grounder(runDirectory: url, encoder: HashedWordEncoder()).evaluate()
        #expect(evaluation.report == summary.bestMetrics)
    }

    @Test func neighboursAreShiftedCopiesWithZerosAtTheEnds() {
        let hidden = Tensor(shape: [1, 3, 2], scalars: [1, 2, 3, 4, 5, 6])
        let joined = SpanHead.withNeighbours(hidden)
        #expect(joined.shape == [1, 3, 6])
        #expect(joined.scalars == [0, 0, 1, 2, 3, 4, 1, 2, 3, 4, 5, 6, 3, 4, 5, 6, 0, 0])
        var generator = SeededGenerator(seed: 5)
        let input = Tensor.randomNormal([2, 4, 3], standardDeviation: 1, using: &generator)
        let check = gradientCheck([input]) { SpanHead.withNeighbours($0[0]) }
        #expect(check.passed, "\(check)")
    }
}

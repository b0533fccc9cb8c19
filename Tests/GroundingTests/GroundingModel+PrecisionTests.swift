import Datasets
import Foundation
import NeuralNet
import Tensors
import Testing
import VTGCore

@testable import Grounding

/// The grounding model's products at bf16 and int8 for evaluation: every linear layer
/// converted, answers close to float32's, and passes that record gradients still float32.
@Suite struct GroundingModelPrecisionTests {
    /// The largest difference of a start, end or inside probability to float32's on the tiny
    /// trained run (int8's per-row activation steps are the coarser; observed < 0.02).
    static let probabilityTolerance: Float = 0.05

    @Test(.enabled(if: CPUFeatures.current.isSuperset(of: [.avx512BF16, .avx512VNNI])))
    func convertsEveryProductAndStaysCloseToFloat32() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (run, url) = try trainedTinyRun(in: directory, epochs: 2)
        let reference = try Grounder(runDirectory: url, encoder: HashedWordEncoder())
        #expect(reference.network.modelPrecision == .float32)
        let test = try GroundingDataset.load(
            run.dataset, split: "test", from: URL(fileURLWithPath: run.annotationsPath))
        let samples = Array(test.samples.prefix(8))
        func probabilities(_ grounder: Grounder) throws -> [SpanProbabilities] {
            let batches = GroundingBatchBuilder(
                featureStore: try run.makeFeatureStore(resampled: false),
                cache: QueryStateCache(encoder: HashedWordEncoder()))
            return try grounder.network.predict(samples, batches: batches).map(\.probabilities)
        }
        let expected = try probabilities(reference)
        for precision in [Precision.bf16, .int8] {
            let grounder = try Grounder(
                runDirectory: url, encoder: HashedWordEncoder(), modelPrecision: precision)
            let model = grounder.model
            #expect(grounder.network.modelPrecision == precision)
            let layers = (model.videoEncoder?.layers ?? []) + model.fusionEncoder.layers
            let products =
                [
                    model.videoProjection, model.textProjection, model.queryInteraction,
                    model.head.insideHidden, model.head.insideOutput, model.head.spanHidden,
                    model.head.spanOutput,
                ]
                + layers.flatMap {
                    [
                        $0.attention.query, $0.attention.key, $0.attention.value,
                        $0.attention.output, $0.intermediate, $0.output,
                    ]
                }
            #expect(products.allSatisfy { $0.precision == precision })
            var largest: Float = 0
            for (got, want) in zip(try probabilities(grounder), expected) {
                #expect(got != want)
                let pairs = [(got.start, want.start), (got.end, want.end), (got.inside, want.inside)]
                for (a, b) in pairs {
                    largest = max(largest, zip(a, b).map { abs($0 - $1) }.max() ?? 0)
                }
            }
            print("grounding model at \(precision): largest probability difference \(largest)")
            #expect(largest <= Self.probabilityTolerance, "\(precision)")
            // Back to float32: the same bits as a model never converted.
            grounder.network.convertModel(to: .float32)
            #expect(try probabilities(grounder) == expected)
        }
    }

    @Test(.enabled(if: CPUFeatures.current.contains(.avx512VNNI)))
    func passesThatRecordGradientsStayFloat32() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (run, url) = try trainedTinyRun(in: directory, epochs: 1)
        let float32 = try Grounder(runDirectory: url, encoder: HashedWordEncoder())
        let int8 = try Grounder(
            runDirectory: url, encoder: HashedWordEncoder(), modelPrecision: .int8)
        let test = try GroundingDataset.load(
            run.dataset, split: "test", from: URL(fileURLWithPath: run.annotationsPath))
        let batch = try GroundingBatchBuilder(
            featureStore: try run.makeFeatureStore(),
            cache: QueryStateCache(encoder: HashedWordEncoder())
        ).batch(of: Array(test.samples.prefix(4)))
        // The loaded weights are trainable, so a pass with gradients enabled records: both
        // models then multiply by the same float32 weights.
        func logits(_ grounder: Grounder) -> [Float] {
            var context = ForwardContext.evaluation
            let logits = grounder.model(batch, context: &context)
            return logits.start.scalars + logits.end.scalars + logits.inside.scalars
        }
        #expect(logits(int8) == logits(float32))
        let inference = withGradientsDisabled { logits(int8) }
        #expect(inference != logits(float32))
    }
}

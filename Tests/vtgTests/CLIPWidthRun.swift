import Datasets
import Foundation
import Grounding
import Reports
import VTGCore

/// A grounding run trained (one epoch, tiny sizes, MiniLM text states) on synthetic QVHighlights
/// features as wide as the tiny test CLIP's embeddings (32), recorded as that CLIP's kind of
/// features: what `vtg ground --video` with the tiny CLIP accepts.
enum CLIPWidthRun {
    /// The kind the tiny CLIP's extraction produces (width 64, 2 layers, patch 32).
    static let featureKind = "clip-vit-w64x2-32"
    static let featureDimension = 32

    /// The tiny random CLIP folder of the vision tests.
    static let tinyCLIP = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(
            "VisionEncodingTests/Fixtures/tiny-clip", isDirectory: true)

    /// Trains the run into `directory/run`; returns its directory.
    static func train(in directory: URL) throws -> URL {
        let data = directory.appendingPathComponent("data")
        let manifest = try SyntheticBenchmark.write(
            SyntheticBenchmarkConfiguration(
                layout: .qvHighlights, videoCount: 12, seed: 3,
                featureDimension: featureDimension),
            to: data)
        var request = GroundingRunRequest()
        request.dataset = .qvHighlights
        request.annotationsPath = data.path
        request.featuresPath = manifest.featureLocation(in: data).path
        request.featureKind = featureKind
        request.evaluationProtocol = .vslnet
        request.epochs = 1
        request.batchSize = 8
        request.seed = 5
        var run = try request.makeConfiguration()
        run.model = GroundingModelConfiguration(
            featureDimension: featureDimension, featureKind: featureKind, maxClips: 16,
            hiddenSize: 32, headCount: 2, intermediateSize: 64, videoLayerCount: 1,
            fusionLayerCount: 1)
        let url = directory.appendingPathComponent("run")
        _ = try GroundingTrainer(
            run: run, directory: url,
            encoder: makeQueryEncoder(for: run.model, textModelOption: nil),
            reporter: ProgressReporter(quiet: true)
        ).train(resume: false)
        return url
    }
}

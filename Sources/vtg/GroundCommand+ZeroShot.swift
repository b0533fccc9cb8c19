import ArgumentParser
import Datasets
import Extraction
import Foundation
import Grounding
import Reports

extension GroundCommand {
    /// `ground --zero-shot`: the queries' CLIP text embeddings against the clips' CLIP image
    /// embeddings, with the same outputs as a trained run (lines, JSON, SVG).
    func runZeroShot() throws {
        if let threads { WorkerThreads.count = threads }
        try CommandSupport.reportingErrors {
            let grounder = try zeroShotOptions.grounder(clipModel: clipModel, topK: topK)
            let results: [ZeroShotResult]
            if let video {
                let reporter = ProgressReporter()
                let grounding = try grounder.ground(
                    videoFile: video, queries: query,
                    clipModelDirectory: ExtractionConfiguration.clipModelDirectory(
                        option: clipModel),
                    cacheDirectory: videoCache.map { URL(fileURLWithPath: $0, isDirectory: true) },
                    progress: reporter)
                reporter.message(ExtractionReport.videoLine(grounding.video, path: video))
                results = grounding.results
            } else if let features, let duration {
                let (location, identifier) = try FeatureLocation.detect(
                    videoFile: features, key: featureKey, videoID: videoId)
                let clips = try FeatureStore(FeatureStoreConfiguration(location: location))
                    .features(forVideo: identifier)
                results = try grounder.ground(
                    features: clips, durationSeconds: duration, queries: query, path: features)
            } else {
                preconditionFailure("GroundCommand: validate() lets no other case through")
            }
            try output(
                results, plots: results.map(TimelinePlot.init(zeroShot:)),
                spans: results.map { ($0.query, $0.spans) })
        }
    }
}

import Datasets
import Foundation
import VTGCore

@testable import Grounding

/// A grounding task a tiny model learns in seconds, for the long-video tests: videos of
/// `clipsPerVideo` 2-second clips of noise in which each of two queries has one moment, its
/// clips carrying the query's own signature vector. The model must find the queried moment's
/// clips and its edges; the other query's moment is a distractor.
enum PlantedMoments {
    static let featureDimension = 16
    /// The clips of a training video, and the model's `maxClips`: one window.
    static let clipsPerVideo = 32
    static let clipSeconds = 2.0
    static let queries = ["the red ball bounces", "a dog runs across the yard"]
    /// The standard deviation of the background noise; signatures have norm 3.
    static let noise: Float = 0.5

    /// Query `index`'s signature: a fixed random direction of norm 3.
    static func signature(_ index: Int) -> [Float] {
        var generator = SeededGenerator(seed: 100 + UInt64(index))
        let direction = (0..<featureDimension).map { _ in generator.nextNormal() }
        let norm = direction.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return direction.map { 3 * $0 / norm }
    }

    /// Features of `clipCount` clips: noise, plus each moment's query signature on its clips.
    static func features(
        clipCount: Int, moments: [(query: Int, clips: Range<Int>)],
        using generator: inout SeededGenerator
    ) -> ClipFeatures {
        var values = (0..<clipCount * featureDimension).map { _ in noise * generator.nextNormal() }
        for moment in moments {
            let signature = signature(moment.query)
            for clip in moment.clips {
                for dimension in 0..<featureDimension {
                    values[clip * featureDimension + dimension] += signature[dimension]
                }
            }
        }
        return ClipFeatures(
            values: values, clipCount: clipCount, featureDimension: featureDimension)
    }

    /// Two moments of 3 to 8 clips that do not touch, at random places of a training video.
    static func randomMoments(using generator: inout SeededGenerator) -> [(
        query: Int, clips: Range<Int>
    )] {
        while true {
            let spans = (0..<2).map { _ -> Range<Int> in
                let length = Int(generator.next() % 6) + 3
                let start = Int(generator.next() % UInt64(clipsPerVideo - length + 1))
                return start..<start + length
            }
            if spans[0].upperBound < spans[1].lowerBound
                || spans[1].upperBound < spans[0].lowerBound
            {
                return [(0, spans[0]), (1, spans[1])]
            }
        }
    }

    /// Writes the task in the QVHighlights layout (`highlight_{train,val}_release.jsonl`,
    /// `features/VIDEO.npz`) into `directory`.
    static func writeDataset(to directory: URL, trainVideos: Int = 120, validationVideos: Int = 16)
        throws
    {
        let features = directory.appendingPathComponent("features")
        try FileManager.default.createDirectory(at: features, withIntermediateDirectories: true)
        var generator = SeededGenerator(seed: 41)
        var queryID = 0
        for (split, count) in [("train", trainVideos), ("val", validationVideos)] {
            var lines: [String] = []
            for video in 0..<count {
                let videoID = "\(split)\(video)"
                let moments = randomMoments(using: &generator)
                try NumpyArchive.write(
                    Self.features(clipCount: clipsPerVideo, moments: moments, using: &generator),
                    key: "features", to: features.appendingPathComponent("\(videoID).npz"))
                for moment in moments {
                    let window: JSONValue = .array([
                        .number(Double(moment.clips.lowerBound) * clipSeconds),
                        .number(Double(moment.clips.upperBound) * clipSeconds),
                    ])
                    let line: JSONValue = .object([
                        JSONMember("qid", .number(queryID)),
                        JSONMember("query", .string(queries[moment.query])),
                        JSONMember("vid", .string(videoID)),
                        JSONMember("duration", .number(Double(clipsPerVideo) * clipSeconds)),
                        JSONMember("relevant_windows", .array([window])),
                    ])
                    lines.append(line.serialized())
                    queryID += 1
                }
            }
            try (lines.joined(separator: "\n") + "\n").write(
                to: directory.appendingPathComponent("highlight_\(split)_release.jsonl"),
                atomically: true, encoding: .utf8)
        }
    }

    /// A tiny model trained on the task; returns its run directory.
    static func trainedRun(in directory: URL, epochs: Int = 12) throws -> URL {
        let data = directory.appendingPathComponent("data")
        try writeDataset(to: data)
        var request = GroundingRunRequest()
        request.dataset = .qvHighlights
        request.annotationsPath = data.path
        request.featuresPath = data.appendingPathComponent("features").path
        request.featureKind = "planted"
        request.evaluationSplit = "val"
        request.evaluationProtocol = .vslnet
        request.epochs = epochs
        request.batchSize = 16
        request.learningRate = 3e-3
        request.seed = 7
        var run = try request.makeConfiguration()
        run.model = GroundingModelConfiguration(
            featureDimension: featureDimension, featureKind: "planted", maxClips: clipsPerVideo,
            hiddenSize: 32, headCount: 2, intermediateSize: 64, videoLayerCount: 1,
            fusionLayerCount: 1, textStateSize: 24)
        let url = directory.appendingPathComponent("run")
        _ = try GroundingTrainer(
            run: run, directory: url, encoder: HashedWordEncoder(), reporter: RecordingReporter()
        ).train(resume: false)
        return url
    }
}

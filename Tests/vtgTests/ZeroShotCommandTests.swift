import Datasets
import Foundation
import Grounding
import Metrics
import TestSupport
import Testing
import VTGCore

/// `vtg ground --zero-shot` and `vtg eval --zero-shot` end to end, with the tiny random CLIP
/// text tower: clip features that hold a query's own CLIP text embedding on its moment's clips
/// (and small noise elsewhere) must give that moment.
@Suite struct ZeroShotCommandTests {
    /// Clip features of `clipCount` clips: one fixed random background direction, replaced on the
    /// clips of `moments` by the moment's embedding (unit length), plus noise of 0.02 a dimension.
    static func features(
        clipCount: Int, moments: [(embedding: [Float], clips: Range<Int>)],
        using generator: inout SeededGenerator
    ) -> ClipFeatures {
        func unit(_ vector: [Float]) -> [Float] {
            let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return vector.map { $0 / norm }
        }
        let width = moments[0].embedding.count
        let background = unit((0..<width).map { _ in generator.nextNormal() })
        var rows = [[Float]](repeating: background, count: clipCount)
        for moment in moments {
            for clip in moment.clips { rows[clip] = unit(moment.embedding) }
        }
        let values = rows.flatMap { row in row.map { $0 + 0.02 * generator.nextNormal() } }
        return ClipFeatures(values: values, clipCount: clipCount, featureDimension: width)
    }

    @Test func groundsAQueryInClipFeaturesWithoutARun() throws {
        let model = try TinyCLIPTextModel.folder()
        let directory = try TemporaryDirectory(label: "zero-shot-ground")
        let query = "a dog runs across the yard"
        let embedding = try CLIPTextEmbedder(clipModelDirectory: model.url).embeddings(of: [query])
        var generator = SeededGenerator(seed: 3)
        let file = directory.file("video.npz")
        try NumpyArchive.write(
            Self.features(clipCount: 10, moments: [(embedding[0], 4..<7)], using: &generator),
            key: "features", to: file)
        let plot = directory.file("plot.svg")
        let outcome = try VTGProcess.run([
            "ground", "--zero-shot", "--clip-model", model.url.path, "--features", file.path,
            "--duration", "19", "--query", query, "--plot", plot.path, "--json",
        ])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let results = try JSONDecoder().decode(
            [ZeroShotResult].self, from: Data(outcome.standardOutput.utf8))
        #expect(results.count == 1)
        #expect(results[0].spans.first?.span == TimeSpan(startSeconds: 8, endSeconds: 14))
        #expect(results[0].curve.similarities.count == 10)
        let svg = try String(contentsOf: plot, encoding: .utf8)
        #expect(svg.contains("relevance") && svg.contains(query))
    }

    @Test func evaluatesASplitWithSettingsChosenOnTheTrainingSplit() throws {
        let model = try TinyCLIPTextModel.folder()
        let directory = try TemporaryDirectory(label: "zero-shot-eval")
        let queries = ["a dog runs across the yard", "a man opens the red door"]
        let embeddings = try CLIPTextEmbedder(clipModelDirectory: model.url).embeddings(
            of: queries)
        let features = directory.file("features")
        try FileManager.default.createDirectory(at: features, withIntermediateDirectories: true)
        var generator = SeededGenerator(seed: 4)
        var queryID = 0
        for (split, videos) in [("train", 4), ("val", 3)] {
            var lines: [String] = []
            for video in 0..<videos {
                let videoID = "\(split)\(video)"
                let first = 1 + video % 3
                let moments = [(0, first..<first + 3), (1, first + 6..<first + 10)]
                try NumpyArchive.write(
                    Self.features(
                        clipCount: 16, moments: moments.map { (embeddings[$0.0], $0.1) },
                        using: &generator),
                    key: "features", to: features.appendingPathComponent("\(videoID).npz"))
                for (index, clips) in moments {
                    let line: JSONValue = .object([
                        JSONMember("qid", .number(Double(queryID))),
                        JSONMember("query", .string(queries[index])),
                        JSONMember("vid", .string(videoID)),
                        JSONMember("duration", .number(32)),
                        JSONMember(
                            "relevant_windows",
                            .array([
                                .array([
                                    .number(Double(clips.lowerBound * 2)),
                                    .number(Double(clips.upperBound * 2)),
                                ])
                            ])),
                    ])
                    lines.append(line.serialized())
                    queryID += 1
                }
            }
            try (lines.joined(separator: "\n") + "\n").write(
                to: directory.file("highlight_\(split)_release.jsonl"), atomically: true,
                encoding: .utf8)
        }
        let predictions = directory.file("predictions.jsonl")
        let settings = directory.file("settings.json")
        let outcome = try VTGProcess.run([
            "eval", "--zero-shot", "--clip-model", model.url.path, "--dataset", "qvhighlights",
            "--annotations", directory.url.path, "--features", features.path,
            "--protocol", "vslnet", "--search-settings", "--save-settings", settings.path,
            "--predictions", predictions.path,
        ])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardOutput.contains("Settings searched on the train split (8 queries"))
        #expect(outcome.standardOutput.contains("# qvhighlights val, protocol vslnet"))
        #expect(outcome.standardOutput.contains("CLIP zero-shot (no training)"))
        let saved = try JSONDecoder().decode(
            ZeroShotSettings.self, from: Data(contentsOf: settings))
        try saved.validate()
        // The predictions score as the printed table: every moment found.
        let split = try GroundingDataset.load(.qvHighlights, split: "val", from: directory.url)
        let report = try MetricsReport.score(
            predictionsFile: predictions, against: split.samples, evaluationProtocol: .vslnet)
        #expect(report.queryCount == 6)
        #expect(report.value(.recallAtOne(iouThreshold: 0.7)) == 100)
    }
}

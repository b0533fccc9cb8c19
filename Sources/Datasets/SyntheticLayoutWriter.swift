import Foundation
import VTGCore

/// Writes generated videos in one of the four real on-disk layouts (see ``DatasetName``):
///
/// | layout | annotations and durations | features |
/// |---|---|---|
/// | charades-sta | `charades_sta_{train,test}.txt`, `Charades_v1_{train,test}.csv` | `VIDEO.npy` |
/// | activitynet | `{train,val,test}.json` | `activitynet_features.hdf5` |
/// | tacos | `{train,val,test}.json` (frames, fps 29.4) | `tacos_features.hdf5` |
/// | qvhighlights | `highlight_{train,val,test}_release.jsonl` | `VIDEO.npz` |
///
/// Features go to the `features/` subdirectory.
struct SyntheticLayoutWriter {
    let configuration: SyntheticBenchmarkConfiguration
    let directory: URL
    let profile: SyntheticLayoutProfile

    /// TACoS's frame rate.
    static let tacosFramesPerSecond = 29.4

    /// A drawn duration made representable in the layout's files: 2 decimals (Charades CSV,
    /// ActivityNet), a whole number of frames (TACoS), an even number of seconds (QVHighlights;
    /// one video in ten shorter than 150 s, as in the real data).
    static func quantizedDuration(
        _ seconds: Double, layout: DatasetName, using generator: inout SeededGenerator
    ) -> Double {
        switch layout {
        case .charadesSTA, .activityNet:
            return (seconds * 100).rounded() / 100
        case .tacos:
            return (seconds * tacosFramesPerSecond).rounded(.down) / tacosFramesPerSecond
        case .qvHighlights:
            return generator.nextUnitInterval() < 0.1 ? Double(2 * generator.uniform(60...74)) : 150
        }
    }

    /// A sentence in the layout's usual style: Charades lower case with a period, ActivityNet and
    /// QVHighlights capitalised with a period, TACoS capitalised without one.
    static func styled(_ sentence: String, layout: DatasetName) -> String {
        let capitalized = sentence.prefix(1).uppercased() + sentence.dropFirst()
        switch layout {
        case .charadesSTA: return sentence + "."
        case .activityNet, .qvHighlights: return capitalized + "."
        case .tacos: return capitalized
        }
    }

    func write(_ splits: [(name: String, videos: [SyntheticVideo])]) throws(SyntheticBenchmarkError)
        -> SyntheticBenchmarkManifest
    {
        let featuresDirectory = directory.appendingPathComponent("features")
        do {
            try FileManager.default.createDirectory(
                at: featuresDirectory, withIntermediateDirectories: true)
        } catch {
            throw .cannotWrite(path: featuresDirectory.path, reason: FileErrorReason.of(error))
        }
        let format: FeatureLocation.Format
        let featurePath: String
        var featureKey: String?
        switch configuration.layout {
        case .charadesSTA:
            for split in splits {
                try writeText(charadesMoments(split.videos), to: "charades_sta_\(split.name).txt")
                try writeText(charadesCSV(split.videos), to: "Charades_v1_\(split.name).csv")
            }
            try writeNumpyFiles(splits.flatMap(\.videos), in: featuresDirectory)
            (format, featurePath) = (.npyDirectory, "features")
        case .activityNet, .tacos:
            for split in splits {
                let json =
                    configuration.layout == .tacos
                    ? tacosJSON(split.videos) : activityNetJSON(split.videos)
                try writeText(json.serialized() + "\n", to: "\(split.name).json")
            }
            featurePath =
                "features/\(configuration.layout == .tacos ? "tacos" : "activitynet")_features.hdf5"
            try writeHDF5(
                splits.flatMap(\.videos), to: directory.appendingPathComponent(featurePath))
            format = .hdf5
        case .qvHighlights:
            var queryID = 0
            for split in splits {
                try writeText(
                    qvHighlightsLines(split.videos, firstQueryID: &queryID),
                    to: "highlight_\(split.name)_release.jsonl")
            }
            try writeArchives(splits.flatMap(\.videos), in: featuresDirectory)
            (format, featurePath, featureKey) = (.npzDirectory, "features", "features")
        }
        return SyntheticBenchmarkManifest(
            configuration: configuration, clipDurationSeconds: profile.clipSeconds,
            featureFormat: format, featurePath: featurePath, featureKey: featureKey,
            splits: splits.map {
                .init(
                    name: $0.name, videoCount: $0.videos.count,
                    queryCount: $0.videos.reduce(0) { $0 + $1.queries.count })
            })
    }

    // MARK: Charades-STA

    private static func oneDecimal(_ value: Double) -> String { String(format: "%.1f", value) }

    private func charadesMoments(_ videos: [SyntheticVideo]) -> String {
        var lines: [String] = []
        for video in videos {
            // Times with one decimal, inside the duration, as in the release.
            let lastTenth = (video.durationSeconds * 10).rounded(.down) / 10
            for query in video.queries {
                guard let span = query.spans.first else { continue }
                let start = (span.startSeconds * 10).rounded() / 10
                let end = min((span.endSeconds * 10).rounded() / 10, lastTenth)
                lines.append(
                    "\(video.videoID) \(Self.oneDecimal(start)) \(Self.oneDecimal(end))"
                        + "##\(query.sentence)"
                )
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The Charades CSV columns, with quoted free-text fields (commas, quotes, and in one video of
    /// seven a line break), so that readers meet what the real files contain.
    private func charadesCSV(_ videos: [SyntheticVideo]) -> String {
        func quoted(_ text: String) -> String {
            "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        let scenes = [
            "Bedroom", "Living room", "Kitchen", "Closet / Walk-in closet / Spear closet",
        ]
        var rows = [
            "id,subject,scene,quality,relevance,verified,script,objects,descriptions,actions,length"
        ]
        for (position, video) in videos.enumerated() {
            let sentences = video.events.map {
                SyntheticVocabulary.sentence(actionClass: $0.actionClass, template: 0)
            }
            let script = sentences.joined(separator: ", then ") + "."
            let objects = Set(
                video.events.map {
                    SyntheticVocabulary.objects[SyntheticVocabulary.objectIndex(of: $0.actionClass)]
                }
            ).sorted().joined(separator: ";")
            let separator = position % 7 == 3 ? "\r\n" : " "
            let description =
                "A \"synthetic\" video:" + separator + sentences.joined(separator: "; ")
            let actions = video.events.map {
                String(
                    format: "c%03d %.2f %.2f", $0.actionClass, $0.span.startSeconds,
                    $0.span.endSeconds)
            }.joined(separator: ";")
            let fields = [
                video.videoID, "S\(position % 50)", quoted(scenes[position % scenes.count]),
                "\(5 + position % 3)", "\(6 + position % 2)", "Yes", quoted(script), objects,
                quoted(description), actions, String(format: "%.2f", video.durationSeconds),
            ]
            rows.append(fields.joined(separator: ","))
        }
        return rows.joined(separator: "\r\n") + "\r\n"
    }

    // MARK: ActivityNet Captions and TACoS

    private static func hundredths(_ value: Double) -> JSONValue {
        .number((value * 100).rounded() / 100)
    }

    private func activityNetJSON(_ videos: [SyntheticVideo]) -> JSONValue {
        .object(
            videos.map { video in
                JSONMember(
                    video.videoID,
                    .object([
                        JSONMember("duration", .number(video.durationSeconds)),
                        JSONMember(
                            "timestamps",
                            .array(
                                video.queries.compactMap(\.spans.first).map {
                                    .array([
                                        Self.hundredths($0.startSeconds),
                                        Self.hundredths(min($0.endSeconds, video.durationSeconds)),
                                    ])
                                })),
                        JSONMember("sentences", .array(video.queries.map { .string($0.sentence) })),
                    ]))
            })
    }

    private func tacosJSON(_ videos: [SyntheticVideo]) -> JSONValue {
        let fps = Self.tacosFramesPerSecond
        return .object(
            videos.map { video in
                let frameCount = (video.durationSeconds * fps).rounded()
                return JSONMember(
                    video.videoID,
                    .object([
                        JSONMember(
                            "timestamps",
                            .array(
                                video.queries.compactMap(\.spans.first).map {
                                    .array([
                                        .number(($0.startSeconds * fps).rounded()),
                                        .number(min(($0.endSeconds * fps).rounded(), frameCount)),
                                    ])
                                })),
                        JSONMember("sentences", .array(video.queries.map { .string($0.sentence) })),
                        JSONMember("fps", .number(fps)),
                        JSONMember("num_frames", .number(frameCount)),
                    ]))
            })
    }

    // MARK: QVHighlights

    /// One line per query; windows on the 2-second clip grid; saliency from three simulated
    /// annotators, higher inside the moment's core than near its edges.
    private func qvHighlightsLines(_ videos: [SyntheticVideo], firstQueryID: inout Int) -> String {
        var lines: [String] = []
        var generator = SeededGenerator(seed: configuration.seed ^ 0x5A11_E4C3)
        for video in videos {
            for query in video.queries {
                var windows: [JSONValue] = []
                var clipIDs: [Int] = []
                for span in query.spans {
                    let start = 2 * (span.startSeconds / 2).rounded(.down)
                    let end = min(2 * (span.endSeconds / 2).rounded(.up), video.durationSeconds)
                    windows.append(.array([.number(start), .number(end)]))
                    clipIDs += Array(Int(start / 2)..<Int(end / 2))
                }
                clipIDs = Array(Set(clipIDs)).sorted()
                let scores: [JSONValue] = clipIDs.map { clip in
                    let centre = (Double(clip) + 0.5) * 2
                    let depth =
                        query.spans.map { span in
                            min(centre - span.startSeconds, span.endSeconds - centre)
                        }.max() ?? 0
                    let base = depth > 4 ? 3.2 : depth > 0 ? 2.4 : 1.2
                    return .array(
                        (0..<3).map { _ in
                            let score = (base + 0.8 * generator.standardNormal()).rounded()
                            return .number(min(max(score, 0), 4))
                        })
                }
                let line = JSONValue.object([
                    JSONMember("qid", .number(Double(firstQueryID))),
                    JSONMember("query", .string(query.sentence)),
                    JSONMember("duration", .number(video.durationSeconds)),
                    JSONMember("vid", .string(video.videoID)),
                    JSONMember("relevant_clip_ids", .array(clipIDs.map { .number(Double($0)) })),
                    JSONMember("saliency_scores", .array(scores)),
                    JSONMember("relevant_windows", .array(windows)),
                ])
                lines.append(line.serialized())
                firstQueryID += 1
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: Files

    private func writeText(_ text: String, to name: String) throws(SyntheticBenchmarkError) {
        let url = directory.appendingPathComponent(name)
        do {
            try Data(text.utf8).write(to: url)
        } catch {
            throw .cannotWrite(path: url.path, reason: FileErrorReason.of(error))
        }
    }

    private func writeNumpyFiles(_ videos: [SyntheticVideo], in featuresDirectory: URL)
        throws(SyntheticBenchmarkError)
    {
        for video in videos {
            let url = featuresDirectory.appendingPathComponent("\(video.videoID).npy")
            do {
                try NumpyArray.encode(video.features).write(to: url)
            } catch {
                throw .cannotWrite(path: url.path, reason: FileErrorReason.of(error))
            }
        }
    }

    private func writeArchives(_ videos: [SyntheticVideo], in featuresDirectory: URL)
        throws(SyntheticBenchmarkError)
    {
        for video in videos {
            let url = featuresDirectory.appendingPathComponent("\(video.videoID).npz")
            do {
                try NumpyArchive.write(video.features, key: "features", to: url)
            } catch {
                throw .cannotWrite(path: url.path, reason: FileErrorReason.of(error))
            }
        }
    }

    private func writeHDF5(_ videos: [SyntheticVideo], to url: URL) throws(SyntheticBenchmarkError)
    {
        do {
            let file = try HDF5File(creating: url)
            for video in videos { try file.write(video.features, path: video.videoID) }
        } catch {
            throw .cannotWrite(path: url.path, reason: "libhdf5: \(error)")
        }
    }
}

import Foundation
import VTGCore

/// Summary figures of one split, as `vtg stats` prints them.
///
/// Words are maximal runs of letters, digits and apostrophes, lower-cased ("Person's" and
/// "person's" are one word; "t-shirt" is two).
public struct SplitStatistics: Hashable, Codable, Sendable {
    /// The dataset.
    public var dataset: DatasetName
    /// The split.
    public var split: String
    /// Distinct videos among the kept samples.
    public var videoCount: Int
    /// Kept samples (queries).
    public var queryCount: Int
    /// Target moments over all kept samples (more than queries on QVHighlights).
    public var momentCount: Int
    /// Mean duration of the distinct videos, seconds.
    public var meanVideoDurationSeconds: Double
    /// Mean length of the target moments, seconds (0 when there are none).
    public var meanMomentLengthSeconds: Double
    /// Mean of moment length / video duration (0 when there are none).
    public var meanMomentFractionOfDuration: Double
    /// Mean number of words per query.
    public var meanQueryWordCount: Double
    /// Distinct words over all queries of the split.
    public var vocabularySize: Int
    /// Videos of this split that also occur in another split read at the same time (ActivityNet
    /// val_1 and val_2 share all 4,885 videos of val_2).
    public var videosSharedWithOtherSplits: Int
    /// The anomalies found while reading the split.
    public var anomalies: AnomalyReport

    /// Computes the figures of every split; `videosSharedWithOtherSplits` compares each split
    /// with all the others given.
    public static func compute(for datasets: [GroundingDataset]) -> [SplitStatistics] {
        let videoSets = datasets.map { Set($0.samples.map(\.videoID)) }
        return datasets.enumerated().map { position, dataset in
            var others: Set<String> = []
            for (otherPosition, videos) in videoSets.enumerated() where otherPosition != position {
                others.formUnion(videos)
            }
            return compute(for: dataset, videosElsewhere: others)
        }
    }

    /// Computes the figures of one split; `videosElsewhere` holds the videos of other splits.
    public static func compute(for dataset: GroundingDataset, videosElsewhere: Set<String> = [])
        -> SplitStatistics
    {
        var durationByVideo: [String: Double] = [:]
        var momentCount = 0
        var momentLengthSum = 0.0
        var momentFractionSum = 0.0
        var wordCountSum = 0
        var vocabulary: Set<String> = []
        for sample in dataset.samples {
            durationByVideo[sample.videoID] = sample.durationSeconds
            for target in sample.targets {
                momentCount += 1
                momentLengthSum += target.lengthSeconds
                momentFractionSum += target.lengthSeconds / sample.durationSeconds
            }
            let words = Self.words(of: sample.query)
            wordCountSum += words.count
            vocabulary.formUnion(words)
        }
        let queryCount = dataset.samples.count
        func mean(_ sum: Double, _ count: Int) -> Double { count == 0 ? 0 : sum / Double(count) }
        return SplitStatistics(
            dataset: dataset.name, split: dataset.split, videoCount: durationByVideo.count,
            queryCount: queryCount, momentCount: momentCount,
            meanVideoDurationSeconds: mean(
                durationByVideo.values.reduce(0, +), durationByVideo.count),
            meanMomentLengthSeconds: mean(momentLengthSum, momentCount),
            meanMomentFractionOfDuration: mean(momentFractionSum, momentCount),
            meanQueryWordCount: mean(Double(wordCountSum), queryCount),
            vocabularySize: vocabulary.count,
            videosSharedWithOtherSplits: durationByVideo.keys.filter {
                videosElsewhere.contains($0)
            }
            .count,
            anomalies: dataset.anomalies)
    }

    /// The lower-cased words of `text` (runs of letters, digits and apostrophes).
    public static func words(of text: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        func finishWord() {
            if !current.isEmpty {
                words.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                switch scalar.value {
                case 0x41...0x5A:  // A-Z
                    current.append(Unicode.Scalar(scalar.value + 0x20) ?? scalar)
                case 0x61...0x7A, 0x30...0x39, 0x27:  // a-z, 0-9, apostrophe
                    current.append(scalar)
                default:
                    finishWord()
                }
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                current.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            } else {
                finishWord()
            }
        }
        finishWord()
        return words
    }

    /// A markdown table with one row per split.
    public static func markdownTable(_ statistics: [SplitStatistics]) -> String {
        var lines = [
            "| split | videos | queries | moments | mean video (s) | mean moment (s) | "
                + "moment / video | words / query | vocabulary | videos in other splits |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for row in statistics {
            lines.append(
                "| \(row.split) | \(row.videoCount) | \(row.queryCount) | \(row.momentCount) | "
                    + "\(format(row.meanVideoDurationSeconds)) | "
                    + "\(format(row.meanMomentLengthSeconds)) | "
                    + "\(format(row.meanMomentFractionOfDuration, digits: 3)) | "
                    + "\(format(row.meanQueryWordCount)) | \(row.vocabularySize) | "
                    + "\(row.videosSharedWithOtherSplits) |")
        }
        return lines.joined(separator: "\n")
    }

    /// A markdown table of anomaly counts: one row per category found, one column per split.
    public static func anomalyMarkdownTable(_ statistics: [SplitStatistics]) -> String {
        let kinds = AnomalyKind.allCases.filter { kind in
            statistics.contains { $0.anomalies.count(of: kind) > 0 }
        }
        if kinds.isEmpty { return "No anomalies found." }
        var lines = [
            "| anomaly | action | " + statistics.map(\.split).joined(separator: " | ") + " |",
            "|---|---|" + String(repeating: "---:|", count: statistics.count),
        ]
        for kind in kinds {
            let counts = statistics.map { String($0.anomalies.count(of: kind)) }
            lines.append(
                "| \(kind.rawValue) | \(kind.action.rawValue) | "
                    + counts.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n")
    }

    static func format(_ value: Double, digits: Int = 2) -> String {
        String(format: "%.\(digits)f", value)
    }
}

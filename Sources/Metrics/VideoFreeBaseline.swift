import Foundation
import VTGCore

/// The video-free baseline: predict one fixed window, as a fraction of the duration, for every
/// query. What a grounding model must clearly beat to show it looks at the video.
public struct VideoFreeBaseline: Hashable, Codable, Sendable {
    /// The fixed window.
    public var window: NormalizedSpan
    /// What the window is ("best fixed window", "mean window", "whole video").
    public var name: String

    /// Grid step of the search, as a fraction of the duration.
    public static let gridStep = 0.01

    /// The window of the grid (step 0.01, start < end) with the highest R@1 at IoU 0.5 under
    /// the `vslnet` protocol (IoU ≥ 0.5) on `samples`; ties go to the smallest start, then the
    /// smallest end. IoU is scale-free, so it is computed on targets divided by their duration.
    public static func bestFixedWindow(on samples: [GroundingSample]) -> VideoFreeBaseline {
        let steps = Int((1 / gridStep).rounded())
        // Targets flattened: sample q owns targets offsets[q]..<offsets[q + 1].
        var starts: [Double] = []
        var ends: [Double] = []
        var offsets = [0]
        for sample in samples {
            for target in sample.normalizedTargets {
                starts.append(target.start)
                ends.append(target.end)
            }
            offsets.append(starts.count)
        }
        var bestHits = -1
        var best = (start: 0, end: steps)
        for start in 0..<steps {
            let windowStart = Double(start) / Double(steps)
            for end in (start + 1)...steps {
                let windowEnd = Double(end) / Double(steps)
                var hits = 0
                for sample in 0..<samples.count {
                    for target in offsets[sample]..<offsets[sample + 1]
                    where TimeSpan.intersectionOverHull(
                        windowStart, windowEnd, starts[target], ends[target]) >= 0.5
                    {
                        hits += 1
                        break
                    }
                }
                if hits > bestHits {
                    bestHits = hits
                    best = (start, end)
                }
            }
        }
        return VideoFreeBaseline(
            window: NormalizedSpan(
                start: Double(best.start) / Double(steps), end: Double(best.end) / Double(steps)),
            name: "best fixed window")
    }

    /// The mean normalized start and end over all targets of `samples`.
    public static func meanWindow(on samples: [GroundingSample]) -> VideoFreeBaseline {
        let targets = samples.flatMap(\.normalizedTargets)
        let count = Double(max(targets.count, 1))
        return VideoFreeBaseline(
            window: NormalizedSpan(
                start: targets.map(\.start).reduce(0, +) / count,
                end: targets.map(\.end).reduce(0, +) / count),
            name: "mean window")
    }

    /// The whole video, `[0, 1]`.
    public static let wholeVideo = VideoFreeBaseline(
        window: NormalizedSpan(start: 0, end: 1), name: "whole video")

    /// The three baselines fitted on `trainingSamples`: best fixed window, mean window, whole
    /// video.
    public static func fitted(on trainingSamples: [GroundingSample]) -> [VideoFreeBaseline] {
        [bestFixedWindow(on: trainingSamples), meanWindow(on: trainingSamples), wholeVideo]
    }

    /// The baseline's prediction for each sample: the window in seconds, score 1.
    public func predictions(for samples: [GroundingSample]) -> [[ScoredSpan]] {
        samples.map {
            [ScoredSpan(span: window.seconds(forDurationSeconds: $0.durationSeconds), score: 1)]
        }
    }

    /// The metrics of the baseline on `samples` (split `split` of `dataset`, when known).
    public func evaluate(
        on samples: [GroundingSample], evaluationProtocol: EvaluationProtocol,
        dataset: DatasetName? = nil, split: String? = nil
    ) -> MetricsReport {
        MetricsReport.evaluate(
            samples: samples, windows: predictions(for: samples),
            evaluationProtocol: evaluationProtocol, dataset: dataset, split: split)
    }

    /// A table label: the name and the window, e.g. "best fixed window [0.00, 0.31]".
    public var label: String {
        "\(name) [" + String(format: "%.2f", window.start) + ", "
            + String(format: "%.2f", window.end) + "]"
    }
}

import Datasets
import Foundation
import Metrics
import VTGCore

/// Picks zero-shot grounding's settings on a training split: every combination of a small grid
/// (smoothing width × thresholds × length-prior weight) is decoded from the same similarity
/// curves and scored by one metric (default R@1 at IoU 0.5; ties go to mIoU, or to mAP on
/// QVHighlights, then to the earlier combination). The split's own queries pick the settings; the
/// settings are then applied, unchanged, to validation and test splits.
public struct ZeroShotSettingsSearch: Codable, Sendable {
    /// One combination and its figures on the split.
    public struct Trial: Codable, Sendable {
        /// The settings tried.
        public var settings: ZeroShotSettings
        /// The metric's value, in percent.
        public var value: Double
        /// The tie-breaking figure (mIoU, or mAP on QVHighlights), in percent.
        public var tieBreak: Double
    }

    /// Smoothing widths tried, in clips.
    public static let smoothingGrid = [1, 3, 5, 9]
    /// Threshold sets tried (k of mean + k·sd).
    public static let thresholdGrid: [[Double]] = [[0], [0.5], [1], [0, 0.5, 1], [0, 1, 2]]
    /// Length-prior weights tried, in cosine units (0: no prior); the preferred fraction is the
    /// split's median moment length over video length.
    public static let lengthPriorWeights = [0.0, 0.005, 0.02]
    /// The metric the search maximises unless told otherwise.
    public static let defaultMetric = MetricKey.recallAtOne(iouThreshold: 0.5)

    /// The split searched.
    public var split: String
    /// Its queries.
    public var queryCount: Int
    /// The metric maximised.
    public var metric: MetricKey
    /// Every combination, in grid order.
    public var trials: [Trial]
    /// The best combination's settings.
    public var best: ZeroShotSettings

    /// The grid around `base` (whose NMS threshold, span count and clip length are kept), with
    /// length priors preferring `preferredFraction` of the video.
    public static func grid(base: ZeroShotSettings, preferredFraction: Double)
        -> [ZeroShotSettings]
    {
        var grid: [ZeroShotSettings] = []
        for smoothing in smoothingGrid {
            for thresholds in thresholdGrid {
                for weight in lengthPriorWeights {
                    var settings = base
                    settings.smoothingClips = smoothing
                    settings.thresholdDeviations = thresholds
                    settings.lengthPrior =
                        weight > 0
                        ? ZeroShotSettings.LengthPrior(
                            preferredFraction: preferredFraction, weight: weight) : nil
                    grid.append(settings)
                }
            }
        }
        return grid
    }

    /// The median of each sample's first moment length over its duration, in (0, 1]; 1 when
    /// there is no moment.
    public static func medianMomentFraction(_ samples: [GroundingSample]) -> Double {
        let fractions = samples.compactMap { sample -> Double? in
            guard let target = sample.targets.first, sample.durationSeconds > 0 else { return nil }
            return min(1, max(target.lengthSeconds / sample.durationSeconds, 1e-3))
        }.sorted()
        guard !fractions.isEmpty else { return 1 }
        return fractions[fractions.count / 2]
    }

    /// Runs the grid around `base` on `similarities` (of the training split `split`) under
    /// `evaluationProtocol`, maximising `metric`.
    public static func run(
        on similarities: ZeroShotSimilarities, split: String, base: ZeroShotSettings,
        metric: MetricKey = defaultMetric, evaluationProtocol: EvaluationProtocol
    ) -> ZeroShotSettingsSearch {
        let tieKey: MetricKey =
            evaluationProtocol == .qvhighlights ? .meanAveragePrecision : .meanIoU
        let candidates = grid(
            base: base, preferredFraction: medianMomentFraction(similarities.samples))
        let trials = candidates.map { settings in
            let windows = zip(similarities.samples, similarities.similarities).map {
                sample, values in
                ZeroShotGrounder.decode(
                    values, durationSeconds: sample.durationSeconds, settings: settings
                ).spans
            }
            let report = MetricsReport.evaluate(
                samples: similarities.samples, windows: windows,
                evaluationProtocol: evaluationProtocol)
            return Trial(
                settings: settings, value: report.value(metric) ?? 0,
                tieBreak: report.value(tieKey) ?? 0)
        }
        var best = 0
        for index in trials.indices.dropFirst()
        where (trials[index].value, trials[index].tieBreak)
            > (trials[best].value, trials[best].tieBreak)
        {
            best = index
        }
        return ZeroShotSettingsSearch(
            split: split, queryCount: similarities.samples.count, metric: metric, trials: trials,
            best: trials[best].settings)
    }
}

extension ZeroShotGrounder {
    /// Searches the settings on the training split of `dataset` (`DatasetName.trainingSplit`,
    /// never another: the settings are then applied to validation and test splits), with this
    /// grounder's settings as the base.
    public func searchSettings(
        dataset: DatasetName, annotationsDirectory: URL, featureStore: FeatureStore,
        metric: MetricKey = ZeroShotSettingsSearch.defaultMetric,
        evaluationProtocol: EvaluationProtocol? = nil, progress: (any ProgressReporting)? = nil
    ) throws -> ZeroShotSettingsSearch {
        let split = DatasetName.trainingSplit
        let training = try GroundingDataset.load(dataset, split: split, from: annotationsDirectory)
        let computed = try similarities(
            of: training.samples, featureStore: featureStore, progress: progress)
        return ZeroShotSettingsSearch.run(
            on: computed, split: split, base: settings, metric: metric,
            evaluationProtocol: evaluationProtocol ?? .standard(for: dataset))
    }
}

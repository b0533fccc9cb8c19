import Datasets
import Foundation
import VTGCore

/// Which split picks the best epoch of a grounding run.
public enum ModelSelection: String, Codable, Sendable, CaseIterable {
    /// A validation split picks the epoch (the benchmark's official one, else a video-disjoint
    /// fraction carved from the training split); the test split is evaluated once, at the
    /// chosen epoch. The default.
    case validation
    /// The epoch scoring best on the test split itself, as VSLNet and most published tables
    /// report: optimistic, kept for comparison with them. Runs saved before model selection
    /// was recorded used it.
    case bestOnTest = "best-on-test"

    /// How a table names the selection.
    public var description: String {
        switch self {
        case .validation: return "epoch chosen on validation, test evaluated once"
        case .bestOnTest: return "best epoch on test, as VSLNet reports"
        }
    }
}

/// The validation split of a run whose epoch is chosen on validation, recorded in `run.json`:
/// the benchmark's official validation split when it has one besides the evaluation split,
/// else a fixed, seeded fraction of the training videos (video-disjoint from the rest).
public struct ValidationSplit: Codable, Sendable, Equatable {
    /// The official split used (`val`, `val_2`), or nil when carved from the training split.
    public var officialSplit: String?
    /// The fraction of training videos carved out (when not official).
    public var fraction: Double
    /// The seed of the carving (fixed: every run, seed and variant share the split).
    public var seed: UInt64

    /// The fraction of training videos carved out by default.
    public static let standardFraction = 0.1
    /// The carving's seed by default: not the run's seed, so that runs of different seeds
    /// are compared on the same split.
    public static let standardSeed: UInt64 = 0x7A11D
    /// Official validation splits, in order of preference, of benchmarks that have one
    /// besides their evaluation split (ActivityNet Captions evaluates val_1 and validates on
    /// val_2; TACoS evaluates test and validates on val).
    public static let officialSplitCandidates = ["val", "val_2"]

    /// A validation split.
    public init(
        officialSplit: String? = nil, fraction: Double = Self.standardFraction,
        seed: UInt64 = Self.standardSeed
    ) {
        self.officialSplit = officialSplit
        self.fraction = fraction
        self.seed = seed
    }

    /// The benchmark's official validation split in `directory` that is not `evaluationSplit`
    /// nor the training split, else a carved one of `fraction`.
    public static func choose(
        for dataset: DatasetName, in directory: URL, evaluationSplit: String, fraction: Double
    ) -> ValidationSplit {
        let available = dataset.availableSplits(in: directory)
        let official = officialSplitCandidates.first {
            available.contains($0) && $0 != evaluationSplit && $0 != DatasetName.trainingSplit
        }
        return ValidationSplit(officialSplit: official, fraction: fraction)
    }

    /// Splits `samples` by video: the videos are ordered by ID, shuffled with `seed`, and the
    /// first `fraction` of them (at least one, and at least one left when there are two or
    /// more) go to validation. Both parts keep the samples' order. The same samples always
    /// give the same split.
    public func carve(_ samples: [GroundingSample]) -> (
        training: [GroundingSample], validation: [GroundingSample]
    ) {
        let videos = Set(samples.map(\.videoID)).sorted()
        guard videos.count > 1 else { return (samples, []) }
        var generator = SeededGenerator(seed: seed)
        var shuffled = videos
        BatchSampler.shuffle(&shuffled, using: &generator)
        let count = min(max(1, Int((Double(videos.count) * fraction).rounded())), videos.count - 1)
        let validationVideos = Set(shuffled.prefix(count))
        return (
            samples.filter { !validationVideos.contains($0.videoID) },
            samples.filter { validationVideos.contains($0.videoID) }
        )
    }

    /// How the split is named in tables and run descriptions.
    public var description: String {
        if let officialSplit { return "official \(officialSplit) split" }
        return String(format: "%.0f %% of the training videos (seed %llu)", fraction * 100, seed)
    }
}

/// Early stopping on the metric that picks the best epoch: training stops once `patience`
/// epochs in a row have not improved on the best.
public struct EarlyStopping: Sendable, Equatable {
    /// Epochs without improvement tolerated.
    public var patience: Int

    /// Early stopping with `patience` (at least 1).
    public init(patience: Int) {
        precondition(patience >= 1, "EarlyStopping: patience must be at least 1")
        self.patience = patience
    }

    /// True when the last `patience` of the epochs so far (`isBest` of each, in order) have
    /// all failed to improve.
    public func shouldStop(improvements: [Bool]) -> Bool {
        guard let lastBest = improvements.lastIndex(of: true) else {
            return improvements.count >= patience
        }
        return improvements.count - 1 - lastBest >= patience
    }
}

import Foundation
import VTGCore

/// What `vtg synth` generates: which layout, how many videos, the seed, and the feature shape.
public struct SyntheticBenchmarkConfiguration: Hashable, Codable, Sendable {
    /// The real dataset whose on-disk layout is written.
    public var layout: DatasetName
    /// Number of videos over all splits.
    public var videoCount: Int
    /// Everything generated is a function of the seed (and the other fields).
    public var seed: UInt64
    /// Standard deviation of the per-clip Gaussian noise, relative to prototype entries ~ N(0, 1).
    public var noise: Double
    /// Stationary standard deviation of the slow per-video drift.
    public var drift: Double
    /// Length of each clip's feature vector (256 by default for every layout, whatever the real
    /// dataset's extractor gives, so that one model configuration runs on all four).
    public var featureDimension: Int
    /// The test split's share of the videos (nil: the layout's, e.g. 0.2 for Charades-STA),
    /// taken from the training split: a larger test split gives study comparisons more queries.
    public var testFraction: Double?

    /// Creates a configuration; `videoCount` defaults to the layout's small size
    /// (``defaultVideoCount(for:)``).
    public init(
        layout: DatasetName, videoCount: Int? = nil, seed: UInt64 = 0, noise: Double = 0.8,
        drift: Double = 0.3, featureDimension: Int = 256
    ) {
        self.layout = layout
        self.videoCount = videoCount ?? Self.defaultVideoCount(for: layout)
        self.seed = seed
        self.noise = noise
        self.drift = drift
        self.featureDimension = featureDimension
    }

    /// Throws `invalidConfiguration` unless there are at least 2 videos, a positive feature
    /// dimension, and finite, non-negative noise and drift.
    public func validate() throws(SyntheticBenchmarkError) {
        guard videoCount >= 2 else {
            throw .invalidConfiguration("the video count must be at least 2 (got \(videoCount))")
        }
        guard featureDimension >= 1 else {
            throw .invalidConfiguration(
                "the feature dimension must be positive (got \(featureDimension))")
        }
        guard noise >= 0, noise.isFinite, drift >= 0, drift.isFinite else {
            throw .invalidConfiguration("the noise and the drift must be finite and non-negative")
        }
        if let testFraction {
            let others = SyntheticLayoutProfile.profile(for: layout).splits
                .filter { $0.name != "train" && $0.name != "test" }.map(\.fraction).reduce(0, +)
            guard testFraction > 0, testFraction + others < 0.95 else {
                throw .invalidConfiguration(
                    "the test fraction must leave at least 5 % of the videos for training "
                        + "(got \(testFraction))")
            }
        }
    }

    /// The default number of videos: small enough for the demo and tests (200 Charades-STA-like
    /// videos, about 500 queries).
    public static func defaultVideoCount(for layout: DatasetName) -> Int {
        SyntheticLayoutProfile.profile(for: layout).defaultVideoCount
    }
}

/// What was written, stored as `features/manifest.json` beside the features: the configuration,
/// where the features are, and the size of each split.
public struct SyntheticBenchmarkManifest: Hashable, Codable, Sendable {
    /// One split's size.
    public struct SplitSummary: Hashable, Codable, Sendable {
        /// The split's name as in the annotation file names.
        public var name: String
        /// Videos in the split.
        public var videoCount: Int
        /// Queries in the split.
        public var queryCount: Int
    }

    /// The configuration that produced the files.
    public var configuration: SyntheticBenchmarkConfiguration
    /// Seconds covered by one feature clip.
    public var clipDurationSeconds: Double
    /// How the features are stored.
    public var featureFormat: FeatureLocation.Format
    /// The features' directory or file, relative to the output directory.
    public var featurePath: String
    /// The `.npz` array key, for ``FeatureLocation/Format/npzDirectory``.
    public var featureKey: String?
    /// The splits written, training split first.
    public var splits: [SplitSummary]

    /// Where the features of a benchmark written to `directory` are.
    public func featureLocation(in directory: URL) -> FeatureLocation {
        FeatureLocation(
            format: featureFormat, path: directory.appendingPathComponent(featurePath).path,
            key: featureKey)
    }
}

/// Why a synthetic benchmark could not be written.
public enum SyntheticBenchmarkError: Error, Sendable, CustomStringConvertible {
    /// A file or directory could not be written.
    case cannotWrite(path: String, reason: String)
    /// The configuration is unusable.
    case invalidConfiguration(String)

    /// A message naming the path or the setting.
    public var description: String {
        switch self {
        case .cannotWrite(let path, let reason):
            return "\(path): cannot write (\(reason)). Check that the output directory is writable "
                + "and the disk has space."
        case .invalidConfiguration(let reason):
            return "invalid synthetic benchmark settings: \(reason)"
        }
    }
}

/// Synthetic grounding benchmarks written in the real datasets' on-disk layouts (see
/// `Docs/datasets.md`): the task can only be solved by looking at the video and reading the query
/// compositionally, and the same seed always gives byte-identical files.
public enum SyntheticBenchmark {
    /// Where the manifest is written, relative to the output directory.
    public static let manifestPath = "features/manifest.json"

    /// Generates the benchmark and writes annotations, durations, features and the manifest into
    /// `directory` (created if needed; existing files of the same names are replaced).
    @discardableResult
    public static func write(_ configuration: SyntheticBenchmarkConfiguration, to directory: URL)
        throws(SyntheticBenchmarkError) -> SyntheticBenchmarkManifest
    {
        try configuration.validate()
        let splits = generate(configuration)
        let writer = SyntheticLayoutWriter(
            configuration: configuration, directory: directory,
            profile: SyntheticLayoutProfile.profile(for: configuration.layout))
        let manifest = try writer.write(splits)
        let manifestURL = directory.appendingPathComponent(manifestPath)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try encoder.encode(manifest).write(to: manifestURL)
        } catch {
            throw .cannotWrite(path: manifestURL.path, reason: FileErrorReason.of(error))
        }
        return manifest
    }

    /// Reads the manifest of a benchmark written to `directory`.
    public static func readManifest(in directory: URL) throws -> SyntheticBenchmarkManifest {
        let data = try Data(contentsOf: directory.appendingPathComponent(manifestPath))
        return try JSONDecoder().decode(SyntheticBenchmarkManifest.self, from: data)
    }

    /// The profile's splits, the test split given `testFraction` of the videos (taken from
    /// the training split) when set.
    static func splits(of profile: SyntheticLayoutProfile, testFraction: Double?)
        -> [(name: String, fraction: Double)]
    {
        guard let testFraction,
            let test = profile.splits.first(where: { $0.name == "test" })?.fraction
        else { return profile.splits }
        return profile.splits.map { split in
            switch split.name {
            case "test": return (split.name, testFraction)
            case "train": return (split.name, split.fraction - (testFraction - test))
            default: return split
            }
        }
    }

    /// The videos of each split, in memory.
    static func generate(_ configuration: SyntheticBenchmarkConfiguration) -> [(
        name: String, videos: [SyntheticVideo]
    )] {
        var generator = SeededGenerator(seed: configuration.seed)
        let profile = SyntheticLayoutProfile.profile(for: configuration.layout)
        let world = SyntheticWorld(
            featureDimension: configuration.featureDimension, using: &generator)
        var identifiers = SyntheticIdentifiers(layout: configuration.layout)
        var videos: [SyntheticVideo] = []
        for _ in 0..<configuration.videoCount {
            let duration = SyntheticLayoutWriter.quantizedDuration(
                generator.uniform(profile.durationSeconds), layout: configuration.layout,
                using: &generator)
            let videoID = identifiers.next(durationSeconds: duration, using: &generator)
            let layout = configuration.layout
            videos.append(
                SyntheticVideo.generate(
                    videoID: videoID, durationSeconds: duration, profile: profile, world: world,
                    noise: configuration.noise, drift: configuration.drift,
                    sentence: { actionClass, generator in
                        let template = generator.uniform(
                            0...(SyntheticVocabulary.templates.count - 1))
                        return SyntheticLayoutWriter.styled(
                            SyntheticVocabulary.sentence(
                                actionClass: actionClass, template: template),
                            layout: layout)
                    }, using: &generator))
        }
        // Consecutive blocks of videos form the splits (videos are independent draws).
        var result: [(name: String, videos: [SyntheticVideo])] = []
        var start = 0
        for (position, split) in splits(of: profile, testFraction: configuration.testFraction)
            .enumerated()
        {
            let isLast = position == profile.splits.count - 1  // test, in every layout
            let count =
                isLast
                ? videos.count - start
                : max(1, Int((split.fraction * Double(videos.count)).rounded()))
            let end = min(start + count, videos.count)
            result.append((split.name, Array(videos[start..<end])))
            start = end
        }
        return result
    }
}

/// Unique video identifiers in each dataset's style: `AO8RW` (Charades), `v_QOlSCBRmfWY`
/// (ActivityNet), `s13-d21.avi` (TACoS), `NUsG9BgSes0_210.0_360.0` (QVHighlights).
struct SyntheticIdentifiers {
    let layout: DatasetName
    private var used: Set<String> = []

    init(layout: DatasetName) {
        self.layout = layout
    }

    mutating func next(durationSeconds: Double, using generator: inout SeededGenerator)
        -> String
    {
        let upper = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        let youtube = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        func draw(_ alphabet: [Character], _ count: Int) -> String {
            String((0..<count).map { _ in alphabet[generator.uniform(0...(alphabet.count - 1))] })
        }
        while true {
            let candidate: String
            switch layout {
            case .charadesSTA:
                candidate = draw(upper, 5)
            case .activityNet:
                candidate = "v_" + draw(youtube, 11)
            case .tacos:
                candidate = String(
                    format: "s%02d-d%02d.avi", generator.uniform(10...40),
                    generator.uniform(10...80))
            case .qvHighlights:
                let start = 30 * generator.uniform(0...10)
                candidate = "\(draw(youtube, 11))_\(start).0_\(start + Int(durationSeconds)).0"
            }
            if used.insert(candidate).inserted { return candidate }
        }
    }
}

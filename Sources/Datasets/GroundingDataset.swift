import Foundation
import VTGCore

/// One split of a grounding dataset, read from its annotation files with the anomaly policy
/// applied: the samples in file order and what was found on the way.
public struct GroundingDataset: Sendable {
    /// Which benchmark layout the files follow.
    public var name: DatasetName
    /// The split's name as in the file names (`train`, `test`, `val_1`, ...).
    public var split: String
    /// The annotation file that was read.
    public var annotationFile: URL
    /// The samples that survived the policy, in file order.
    public var samples: [GroundingSample]
    /// Every anomaly found, by category.
    public var anomalies: AnomalyReport

    /// Creates a split from samples already in memory (tests, synthetic data).
    public init(
        name: DatasetName, split: String, annotationFile: URL, samples: [GroundingSample],
        anomalies: AnomalyReport = AnomalyReport()
    ) {
        self.name = name
        self.split = split
        self.annotationFile = annotationFile
        self.samples = samples
        self.anomalies = anomalies
    }

    /// Reads `split` of dataset `name` from `directory` (layouts: ``DatasetName``), applying
    /// `policy`. Throws if the split's files are missing or unusable as a whole, or, in strict
    /// mode, at the first anomaly.
    public static func load(
        _ name: DatasetName, split: String, from directory: URL,
        policy: AnomalyPolicy = AnomalyPolicy()
    ) throws(DatasetError) -> GroundingDataset {
        let file = name.annotationFile(split: split, in: directory)
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw .splitNotFound(
                dataset: name, split: split, directory: directory.path,
                available: name.availableSplits(in: directory))
        }
        var recorder = AnomalyRecorder(policy: policy)
        let records: [RawAnnotation]
        switch name {
        case .charadesSTA:
            records = try CharadesSTAReader.read(split: split, in: directory, recorder: &recorder)
        case .activityNet:
            records = try ActivityNetCaptionsReader.read(
                split: split, in: directory, recorder: &recorder)
        case .tacos:
            records = try TACoSReader.read(split: split, in: directory, recorder: &recorder)
        case .qvHighlights:
            records = try QVHighlightsReader.read(split: split, in: directory, recorder: &recorder)
        }
        var samples: [GroundingSample] = []
        samples.reserveCapacity(records.count)
        var seen: Set<DuplicateKey> = []
        for record in records {
            guard let sample = try policy.clean(record, recorder: &recorder) else { continue }
            let key = DuplicateKey(
                videoID: sample.videoID, targets: sample.targets, query: sample.query)
            if !seen.insert(key).inserted {
                try recorder.record(
                    .duplicate, at: record.location,
                    "same video, span and sentence as an earlier record: "
                        + AnomalyPolicy.quoted(sample.query))
            }
            samples.append(sample)
        }
        return GroundingDataset(
            name: name, split: split, annotationFile: file, samples: samples,
            anomalies: recorder.report)
    }

    /// Reads every split found in `directory`, training split first.
    public static func loadAll(
        _ name: DatasetName, from directory: URL, policy: AnomalyPolicy = AnomalyPolicy()
    ) throws(DatasetError) -> [GroundingDataset] {
        let splits = name.availableSplits(in: directory)
        guard !splits.isEmpty else {
            throw .splitNotFound(
                dataset: name, split: "(any)", directory: directory.path, available: [])
        }
        var datasets: [GroundingDataset] = []
        for split in splits {
            datasets.append(try load(name, split: split, from: directory, policy: policy))
        }
        return datasets
    }

    /// The distinct video ids, in order of first appearance.
    public var videoIDs: [String] {
        var seen: Set<String> = []
        return samples.compactMap { seen.insert($0.videoID).inserted ? $0.videoID : nil }
    }

    private struct DuplicateKey: Hashable {
        var videoID: String
        var targets: [TimeSpan]
        var query: String
    }
}

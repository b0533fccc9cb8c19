import Foundation
import VTGCore

/// Where each benchmark keeps the annotation files of a split (the table of ``DatasetName``).
extension DatasetName {
    /// The splits that have an annotation file in `directory`, training split first.
    public func availableSplits(in directory: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        var splits: [String] = []
        for name in names {
            switch self {
            case .charadesSTA:
                if name.hasPrefix("charades_sta_"), name.hasSuffix(".txt") {
                    splits.append(String(name.dropFirst(13).dropLast(4)))
                }
            case .activityNet, .tacos:
                if name.hasSuffix(".json") { splits.append(String(name.dropLast(5))) }
            case .qvHighlights:
                if name.hasPrefix("highlight_"), name.hasSuffix(".jsonl") {
                    var split = String(name.dropFirst(10).dropLast(6))
                    if split.hasSuffix("_release") { split = String(split.dropLast(8)) }
                    splits.append(split)
                }
            }
        }
        return Self.orderedSplits(splits)
    }

    /// The annotation file of `split` in `directory` (which may not exist).
    public func annotationFile(split: String, in directory: URL) -> URL {
        switch self {
        case .charadesSTA:
            return directory.appendingPathComponent("charades_sta_\(split).txt")
        case .activityNet, .tacos:
            return directory.appendingPathComponent("\(split).json")
        case .qvHighlights:
            let release = directory.appendingPathComponent("highlight_\(split)_release.jsonl")
            if FileManager.default.fileExists(atPath: release.path) { return release }
            return directory.appendingPathComponent("highlight_\(split).jsonl")
        }
    }

    /// The split the video-free baseline and training learn from.
    public static let trainingSplit = "train"

    /// Sorts split names: `train` first, then validation, then test names, then the rest.
    static func orderedSplits(_ splits: [String]) -> [String] {
        func rank(_ split: String) -> Int {
            switch split {
            case "train": return 0
            case "val", "val_1": return 1
            case "val_2": return 2
            case "test": return 3
            default: return 4
            }
        }
        return Array(Set(splits)).sorted { (rank($0), $0) < (rank($1), $1) }
    }
}

import Foundation

/// The seed inputs of each fuzz target: the repository's test fixtures, the real annotation
/// files of `../shared/data` and the test videos, cut to a few kilobytes (a cut JSON or video
/// file is still a useful seed: the parsers must refuse it cleanly). `make fuzz` writes them as
/// libFuzzer's starting corpus and the fuzz smoke of `make test` mutates them.
public struct FuzzSeedCorpus: Sendable {
    /// How much of a file one seed keeps.
    public enum Cut: Sendable, Equatable {
        /// The first 64 KiB (libFuzzer's `-max_len` in `Scripts/fuzz.sh`).
        case binary
        /// The first 40 lines, at most 4 KiB.
        case text
    }

    /// One seed: its name (the file it came from) and its bytes.
    public struct Seed: Sendable, Equatable {
        /// The name of the file it was cut from.
        public let name: String
        /// The seed's bytes.
        public let bytes: [UInt8]
    }

    /// The most bytes a binary seed keeps.
    public static let binaryLimit = 65_536
    /// The most lines a text seed keeps.
    public static let textLineLimit = 40
    /// The most bytes a text seed keeps.
    public static let textByteLimit = 4_096

    /// The repository root (fixtures under `Tests/`, videos under `.test-videos/`).
    public let repositoryRoot: URL
    /// The shared data folder (`../shared/data`).
    public let sharedData: URL

    /// A corpus reading the fixtures of `repositoryRoot` and the annotations of `sharedData`.
    public init(repositoryRoot: URL, sharedData: URL) {
        self.repositoryRoot = repositoryRoot
        self.sharedData = sharedData
    }

    /// The files a target's seeds are cut from (relative to the repository root or the shared
    /// data folder), with their cut; files that do not exist are skipped by `seeds(for:)`.
    public func sources(for target: FuzzTarget) -> [(file: URL, cut: Cut)] {
        func fixtures(_ folder: String, _ suffix: String) -> [(file: URL, cut: Cut)] {
            files(in: repositoryRoot.appendingPathComponent(folder), suffix: suffix)
                .map { ($0, .binary) }
        }
        func shared(_ paths: String...) -> [(file: URL, cut: Cut)] {
            paths.map { (sharedData.appendingPathComponent($0), .text) }
        }
        switch target {
        case .npy: return fixtures("Tests/DatasetsTests/Fixtures/npy", ".npy")
        case .npz: return fixtures("Tests/DatasetsTests/Fixtures/npz", ".npz")
        case .safetensors:
            let tests = repositoryRoot.appendingPathComponent("Tests")
            return files(in: tests, suffix: "").flatMap {
                files(in: $0.appendingPathComponent("Fixtures"), suffix: ".safetensors")
            }.map { ($0, .binary) }
        case .json:
            return shared(
                "tacos/test.json", "activitynet_captions/2d-tan/val.json",
                "qvhighlights/standalone_eval/sample_val_preds_metrics_raw.json")
        case .charades: return shared("charades_sta/charades_sta_test.txt")
        case .activitynet: return shared("activitynet_captions/2d-tan/val.json")
        case .tacos: return shared("tacos/test.json")
        case .qvhighlights: return shared("qvhighlights/highlight_val_release.jsonl")
        case .predictions: return shared("qvhighlights/standalone_eval/sample_val_preds.jsonl")
        case .wordpiece: return []
        case .bpe: return shared("qvhighlights/highlight_val_release.jsonl")
        case .video:
            let videos = repositoryRoot.appendingPathComponent(".test-videos")
            let names = [
                "bikes.mp4", "generated/numbered.mkv", "generated/numbered.webm",
                "generated/numbered.avi", "generated/numbered.mpg", "generated/audio-only.m4a",
            ]
            return names.map { (videos.appendingPathComponent($0), .binary) }
        }
    }

    /// Seeds written in code, for the tokenizers, whose input is text rather than a file.
    public static func literalSeeds(for target: FuzzTarget) -> [Seed] {
        switch target {
        case .wordpiece:
            return [
                Seed(name: "sentence", bytes: Array("a person opens the door.".utf8)),
                Seed(name: "unicode", bytes: Array("Ünïcödé 中文 naïve café — “quotes”".utf8)),
            ]
        case .bpe:
            return [
                Seed(name: "sentence", bytes: Array("A person opens the door.".utf8)),
                Seed(name: "hard", bytes: Array("don't <|endoftext|> İstanbul ΣΑΣ é 2024 '''".utf8)),
            ]
        default:
            return []
        }
    }

    /// The target's seeds: every existing source file, cut, then the literal seeds.
    public func seeds(for target: FuzzTarget) -> [Seed] {
        let cutSeeds = sources(for: target).compactMap { source -> Seed? in
            guard let data = try? Data(contentsOf: source.file) else { return nil }
            return Seed(name: source.file.lastPathComponent, bytes: Self.cut(data, source.cut))
        }
        return cutSeeds + Self.literalSeeds(for: target)
    }

    /// `data` cut as `cut` says.
    public static func cut(_ data: Data, _ cut: Cut) -> [UInt8] {
        switch cut {
        case .binary:
            return Array(data.prefix(binaryLimit))
        case .text:
            var end = data.startIndex
            var lines = 0
            while end < data.endIndex && lines < textLineLimit {
                if data[end] == UInt8(ascii: "\n") { lines += 1 }
                end += 1
            }
            return Array(data[data.startIndex..<end].prefix(textByteLimit))
        }
    }

    /// The entries of `folder` whose names end with `suffix`, sorted by name (none when the
    /// folder does not exist).
    private func files(in folder: URL, suffix: String) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().filter { $0.hasSuffix(suffix) && !$0.hasPrefix(".") }
            .map { folder.appendingPathComponent($0) }
    }
}

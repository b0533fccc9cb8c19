import Datasets
import Foundation
import Metrics
import Tensors
import TextEncoding
import VTGCore
import VideoDecoding

/// The parsers that read user files, each behind one entry point that feeds it arbitrary bytes:
/// the libFuzzer harness (`Fuzz/`, built by `make fuzz`) runs one of them per process, and the
/// fuzz smoke of `make test` runs all of them on their seed corpora and seeded mutations. A
/// parser may throw its typed error on any input, but never trap, read out of bounds or leak.
public enum FuzzTarget: String, CaseIterable, Sendable {
    case npy, npz, safetensors, json, charades, activitynet, tacos, qvhighlights, predictions
    case wordpiece, bpe, video

    /// The most frames the `video` target decodes from one input, so that a long (valid) video
    /// does not stall the fuzzer.
    public static let maximumVideoFrames = 24

    /// A private scratch folder per process for the parsers that read files.
    public static let scratch: URL = {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("vtg-fuzz-\(getpid())", isDirectory: true)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// The tokenizer of the installed MiniLM model (loaded once; `nil` when it is not installed,
    /// and the `wordpiece` target then does nothing).
    static let tokenizer: BertTokenizer? = try? BertTokenizer(modelFiles: .locate())

    /// CLIP's tokenizer over the real vocabulary that `Scripts/fetch_test_data.sh` puts in
    /// `.test-data/` of the repository (`VTG_TEST_DATA` overrides the folder); loaded once.
    static let clipTokenizer: CLIPTokenizer? = {
        let environment = ProcessInfo.processInfo.environment["VTG_TEST_DATA"] ?? ""
        let folder =
            environment.isEmpty
            ? URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent(".test-data")
            : URL(fileURLWithPath: environment)
        let url = folder.appendingPathComponent("bpe_simple_vocab_16e6.txt.gz")
        return (try? BPEVocabulary(originalFileURL: url)).map { CLIPTokenizer(vocabulary: $0) }
    }()

    /// What this target needs and is missing (the installed MiniLM model, CLIP's vocabulary in
    /// `.test-data/`), or nil when it is ready; a target that is not ready tests nothing.
    public var missingResource: String? {
        switch self {
        case .wordpiece where Self.tokenizer == nil:
            return "the MiniLM model (run Scripts/bootstrap.sh)"
        case .bpe where Self.clipTokenizer == nil:
            return "CLIP's vocabulary in .test-data (run Scripts/fetch_test_data.sh)"
        default:
            return nil
        }
    }

    /// Durations for the Charades-STA reader, so that its lines reach the policy.
    static let charadesDurations = "id,subject,script,length\nAO8RW,x,y,30\nY6R7T,x,y,12.5\n"

    /// Feeds `bytes` to this target's parser. Files go to `scratch`, so two inputs must not run
    /// at the same time in one process.
    public func run(_ bytes: [UInt8]) {
        let data = Data(bytes)
        switch self {
        case .npy:
            Self.readFeatures(data, format: .npyDirectory)
        case .npz:
            Self.readFeatures(data, format: .npzDirectory)
        case .safetensors:
            let url = Self.write(data, to: "model.safetensors")
            if let file = try? SafetensorsFile(contentsOf: url) {
                for name in file.tensorNames { _ = try? file.scalars(of: name) }
            }
        case .json:
            _ = try? JSONParser.parse(bytes: bytes[...])
        case .charades:
            _ = Self.write(Data(Self.charadesDurations.utf8), to: "Charades_v1_test.csv")
            Self.load(.charadesSTA, data, split: "test")
        case .activitynet:
            Self.load(.activityNet, data, split: "val_1")
        case .tacos:
            Self.load(.tacos, data, split: "test")
        case .qvhighlights:
            Self.load(.qvHighlights, data, split: "val")
        case .predictions:
            let url = Self.write(data, to: "predictions.jsonl")
            if let file = try? PredictionsFile.read(url) {
                _ = PredictionMatching(file, samples: [])
            }
        case .wordpiece:
            _ = Self.tokenizer?.encode(String(decoding: bytes, as: UTF8.self))
        case .bpe:
            guard let clipTokenizer = Self.clipTokenizer else { return }
            let encoded = clipTokenizer.encode(String(decoding: bytes, as: UTF8.self))
            precondition(encoded.tokenIDs.count <= clipTokenizer.contextLength)
        case .video:
            Self.decodeVideo(Self.write(data, to: "video.bin"))
        }
    }

    /// Writes `data` as `name` in the scratch folder.
    static func write(_ data: Data, to name: String) -> URL {
        let url = scratch.appendingPathComponent(name)
        try? data.write(to: url)
        return url
    }

    /// Reads `data` as one video's features file through the public `FeatureStore` (`.npy`,
    /// or `.npz` with key `features`).
    static func readFeatures(_ data: Data, format: FeatureLocation.Format) {
        let folder = scratch.appendingPathComponent(format.rawValue, isDirectory: true)
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let location = FeatureLocation(format: format, path: folder.path, key: "features")
        try? data.write(to: location.file(forVideo: "video"))
        let store = try? FeatureStore(FeatureStoreConfiguration(location: location))
        _ = try? store?.features(forVideo: "video")
    }

    /// Reads `data` as the annotation file of `dataset`'s `split`.
    static func load(_ dataset: DatasetName, _ data: Data, split: String) {
        let url = dataset.annotationFile(split: split, in: scratch)
        try? data.write(to: url)
        _ = try? GroundingDataset.load(dataset, split: split, from: scratch)
    }

    /// Opens `url` as a video (FFmpeg's probing), then decodes and converts to RGB up to
    /// `maximumVideoFrames` frames.
    static func decodeVideo(_ url: URL) {
        guard let decoder = try? VideoDecoder(path: url.path) else { return }
        for _ in 0..<maximumVideoFrames {
            guard let frame = try? decoder.nextFrame() else { return }
            if frame.width > 0 && frame.height > 0 {
                _ = frame.pixel(x: frame.width - 1, y: frame.height - 1)
            }
        }
    }
}

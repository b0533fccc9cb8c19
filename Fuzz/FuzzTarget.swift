import Datasets
import Foundation
import Metrics
import Tensors
import TextEncoding
import VTGCore

/// One libFuzzer entry point for every parser that reads user files; `VTG_FUZZ_TARGET` picks
/// the parser (see `FuzzTarget`). Built only by `make fuzz` (`VTG_FUZZ=1`, with
/// `-sanitize=fuzzer,address`); a parser may throw its typed error on any input, but never trap,
/// read out of bounds or leak.
enum FuzzTarget: String, CaseIterable {
    case npy, npz, safetensors, json, charades, activitynet, tacos, qvhighlights, predictions
    case wordpiece, bpe

    /// The parser chosen by `VTG_FUZZ_TARGET`.
    static let selected: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["VTG_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            let names = allCases.map(\.rawValue).joined(separator: ", ")
            FileHandle.standardError.write(Data("set VTG_FUZZ_TARGET to one of \(names)\n".utf8))
            exit(2)
        }
        return target
    }()

    /// A private scratch folder for the parsers that read files.
    static let scratch: URL = {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("vtg-fuzz-\(getpid())", isDirectory: true)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// The tokenizer of the installed MiniLM model (loaded once).
    static let tokenizer: BertTokenizer? = try? BertTokenizer(modelFiles: .locate())

    /// CLIP's tokenizer over the real vocabulary that `Scripts/fetch_test_data.sh` puts in
    /// `.test-data/` (`VTG_TEST_DATA` overrides the folder); loaded once.
    static let clipTokenizer: CLIPTokenizer? = {
        let folder = ProcessInfo.processInfo.environment["VTG_TEST_DATA"] ?? ".test-data"
        let url = URL(fileURLWithPath: folder).appendingPathComponent(
            "bpe_simple_vocab_16e6.txt.gz")
        return (try? BPEVocabulary(originalFileURL: url)).map { CLIPTokenizer(vocabulary: $0) }
    }()

    /// Durations for the Charades-STA reader, so that its lines reach the policy.
    static let charadesDurations = "id,subject,script,length\nAO8RW,x,y,30\nY6R7T,x,y,12.5\n"

    /// Feeds `bytes` to the selected parser.
    static func run(_ bytes: [UInt8]) {
        let data = Data(bytes)
        switch selected {
        case .npy:
            readFeatures(data, format: .npyDirectory)
        case .npz:
            readFeatures(data, format: .npzDirectory)
        case .safetensors:
            let url = write(data, to: "model.safetensors")
            if let file = try? SafetensorsFile(contentsOf: url) {
                for name in file.tensorNames { _ = try? file.scalars(of: name) }
            }
        case .json:
            _ = try? JSONParser.parse(bytes: bytes[...])
        case .charades:
            _ = write(Data(charadesDurations.utf8), to: "Charades_v1_test.csv")
            load(.charadesSTA, data, split: "test")
        case .activitynet:
            load(.activityNet, data, split: "val_1")
        case .tacos:
            load(.tacos, data, split: "test")
        case .qvhighlights:
            load(.qvHighlights, data, split: "val")
        case .predictions:
            let url = write(data, to: "predictions.jsonl")
            if let file = try? PredictionsFile.read(url) {
                _ = PredictionMatching(file, samples: [])
            }
        case .wordpiece:
            _ = tokenizer?.encode(String(decoding: bytes, as: UTF8.self))
        case .bpe:
            guard let clipTokenizer else {
                FileHandle.standardError.write(
                    Data("the bpe target needs .test-data: run Scripts/fetch_test_data.sh\n".utf8))
                exit(2)
            }
            let encoded = clipTokenizer.encode(String(decoding: bytes, as: UTF8.self))
            precondition(encoded.tokenIDs.count <= clipTokenizer.contextLength)
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
}

/// libFuzzer's entry point: one input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    FuzzTarget.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

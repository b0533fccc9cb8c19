import Foundation
import NeuralNet
import Tensors
import VTGCore
import VideoDecoding
import VisionEncoding

/// The extraction rows of `vtg bench` (run them from a release build): the whole of `vtg extract`
/// on one video with a ViT-B/32-sized CLIP of random weights, written to a model folder on the
/// fly, at the default settings (2-second clips, one frame per clip, batches of 32).
///
/// Reported: seconds of video per second of wall time; the decode, preprocess, encode and write
/// shares of the time; and resident memory: the peak during the extraction (Linux's `VmHWM`,
/// reset before it starts) and its growth between the first quarter of the video and the end,
/// which stays near zero when memory is flat whatever the video's length. (The first quarter,
/// not the first frames: the process's worker threads take their memory in the first few
/// hundred frames, a one-off of about 20 MB.)
public enum ExtractionBenchmark {
    /// One extraction's figures.
    public struct Measurement: Sendable {
        /// The video's file name.
        public let video: String
        /// The summary of the run (seconds of video, clips, timing, wall time).
        public let summary: ExtractionSummary
        /// The most resident memory the process held during the extraction, in bytes (0 where
        /// the system does not tell).
        public let peakResidentBytes: Int
        /// Resident memory at the end less resident memory after the first quarter of the frames.
        public let residentGrowthBytes: Int

        /// The row of `vtg bench`.
        public var row: BenchmarkRow {
            let timing = summary.timing
            let total = max(timing.totalSeconds, 1e-9)
            func percent(_ part: Double) -> String { String(format: "%.1f %%", 100 * part / total) }
            let note =
                "\(summary.clipCount) clips of \(String(format: "%.1f", summary.videoSeconds)) s: "
                + "decode \(percent(timing.decodeSeconds)), preprocess "
                + "\(percent(timing.preprocessSeconds)), encode \(percent(timing.encodeSeconds)), "
                + "write \(percent(timing.writeSeconds)); peak RSS "
                + "\(peakResidentBytes >> 20) MiB, growth \(residentGrowthBytes >> 20) MiB"
            return BenchmarkRow(
                group: "extract", name: "\(video), ViT-B/32 random, defaults",
                medianMilliseconds: summary.wallSeconds * 1e3,
                bestMilliseconds: summary.wallSeconds * 1e3,
                rate: summary.videoSecondsPerWallSecond, unit: "s video/s", note: note)
        }
    }

    /// Writes a CLIP model folder with random weights of `configuration`'s sizes (ViT-B/32's by
    /// default): `config.json` (a `CLIPVisionModelWithProjection` configuration),
    /// `preprocessor_config.json` (`openai/clip-vit-base-patch32`'s) and `model.safetensors`.
    public static func writeRandomModelFolder(
        _ configuration: CLIPVisionConfiguration = .init(), to directory: URL, seed: UInt64 = 1
    ) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = ParameterStore(seed: seed)
        _ = CLIPVisionModel(configuration, parameters: store.root)
        let entries = store.entries.map {
            SafetensorsEntry(name: $0.path, shape: $0.tensor.shape, scalars: $0.tensor.scalars)
        }
        try SafetensorsWriter.write(
            entries, to: directory.appendingPathComponent("model.safetensors"))
        let side = Double(configuration.imageSize)
        let vision = JSONValue.object([
            JSONMember("model_type", .string("clip_vision_model")),
            JSONMember("hidden_act", .string(configuration.hiddenActivation.rawValue)),
            JSONMember("hidden_size", .number(Double(configuration.hiddenSize))),
            JSONMember("image_size", .number(side)),
            JSONMember("intermediate_size", .number(Double(configuration.intermediateSize))),
            JSONMember(
                "layer_norm_eps",
                .number(Double("\(configuration.layerNormEpsilon)") ?? 1e-5)),
            JSONMember("num_attention_heads", .number(Double(configuration.headCount))),
            JSONMember("num_channels", .number(3)),
            JSONMember("num_hidden_layers", .number(Double(configuration.layerCount))),
            JSONMember("patch_size", .number(Double(configuration.patchSize))),
            JSONMember("projection_dim", .number(Double(configuration.projectionSize))),
        ])
        let square = JSONValue.object([
            JSONMember("height", .number(side)), JSONMember("width", .number(side)),
        ])
        let preprocessor = JSONValue.object([
            JSONMember("crop_size", square), JSONMember("do_center_crop", .bool(true)),
            JSONMember("do_convert_rgb", .bool(true)), JSONMember("do_normalize", .bool(true)),
            JSONMember("do_rescale", .bool(true)), JSONMember("do_resize", .bool(true)),
            JSONMember(
                "image_mean",
                .array([0.48145466, 0.4578275, 0.40821073].map { JSONValue.number($0) })),
            JSONMember("image_processor_type", .string("CLIPImageProcessor")),
            JSONMember(
                "image_std",
                .array([0.26862954, 0.26130258, 0.27577711].map { JSONValue.number($0) })),
            JSONMember("resample", .number(3)),
            JSONMember("rescale_factor", .number(1.0 / 255.0)),
            JSONMember("size", .object([JSONMember("shortest_edge", .number(side))])),
        ])
        for (name, json) in [("config.json", vision), ("preprocessor_config.json", preprocessor)] {
            try Data((json.serialized() + "\n").utf8).write(
                to: directory.appendingPathComponent(name), options: .atomic)
        }
    }

    /// Extracts the video at `path` with the model folder `modelDirectory` at the default
    /// settings into a fresh temporary folder (removed afterwards), measuring time and memory.
    public static func measure(path: String, modelDirectory: URL) throws -> Measurement {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent(
            "promptvtg-extract-bench-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: output) }
        let configuration = try ExtractionConfiguration(
            clipModelDirectory: modelDirectory, outputDirectory: output, shard: .whole)
        ResidentMemory.resetPeak()
        let extraction = try FeatureExtraction(configuration: configuration)
        let memory = MemorySampler()
        let summary = try extraction.run(
            videos: [VideoInput(path: path)], shard: .whole, progress: memory)
        if let failure = summary.failures.first {
            throw ExtractionError.unreadableFile(path: path, reason: failure.message)
        }
        return Measurement(
            video: URL(fileURLWithPath: path).lastPathComponent, summary: summary,
            peakResidentBytes: ResidentMemory.peakBytes(),
            residentGrowthBytes: memory.growthBytes)
    }

    /// The rows: `paths` extracted one after the other with a ViT-B/32-sized random model
    /// written to a temporary folder (for `vtg bench`: `vtest.avi`, and the two-hour generated
    /// video for memory).
    public static func run(paths: [String], progress: (String) -> Void = { _ in }) throws
        -> [Measurement]
    {
        let model = FileManager.default.temporaryDirectory.appendingPathComponent(
            "promptvtg-vit-b32-random-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: model) }
        progress("extraction: writing a ViT-B/32-sized random CLIP")
        try writeRandomModelFolder(to: model)
        var measurements: [Measurement] = []
        for path in paths {
            progress("extraction: \(URL(fileURLWithPath: path).lastPathComponent)")
            measurements.append(try measure(path: path, modelDirectory: model))
        }
        return measurements
    }
}

/// Samples resident memory as extraction progresses: after the first quarter of the frames and at
/// the end.
final class MemorySampler: ExtractionProgressReporting {
    private var total = 0
    private var early: Int?
    private var last = 0

    /// Resident memory at the end less after the first quarter (0 before both are known).
    var growthBytes: Int { early.map { last - $0 } ?? 0 }

    func begin(_ label: String, total: Int) { self.total = total }

    func update(done: Int, status: String, itemsDone: Int?) {
        last = ResidentMemory.currentBytes()
        if early == nil && done * 4 >= total { early = last }
    }

    func report(_ event: ExtractionEvent) {}
}

/// This process's resident memory, from Linux's /proc/self (0 elsewhere).
enum ResidentMemory {
    /// VmRSS, in bytes.
    static func currentBytes() -> Int { statusValue("VmRSS:") }

    /// VmHWM, the peak of VmRSS since the process started or `resetPeak()`, in bytes.
    static func peakBytes() -> Int { statusValue("VmHWM:") }

    /// Resets VmHWM to the current resident memory (writing 5 to /proc/self/clear_refs).
    static func resetPeak() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    private static func statusValue(_ key: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key) }),
            let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kilobytes * 1024
    }
}

import ArgumentParser
import Extraction
import Foundation
import Grounding
import Reports
import Tensors

/// `vtg extract`: video files → CLIP clip features in the QVHighlights layout.
struct ExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Extract CLIP clip features of video files (one VIDEO_ID.npz per video).",
        discussion: """
            Writes OUT/VIDEO_ID.npz (key features, float32 [clips, width]: the layout of \
            QVHighlights' CLIP features) and a line per video in OUT/manifest.jsonl. A rerun \
            skips videos already done with the same settings; a damaged video is reported and \
            the others go on (exit status 1 if any failed). Shards: --shard i/n, or the \
            launcher's rank (mpirun, PMI, Slurm arrays). See Docs/feature-extraction.md.
            """)

    @Option(help: "The CLIP model folder (default: VTG_CLIP_MODEL).") var clipModel: String?
    @Option(name: .customLong("out"), help: "The features folder.") var output: String
    @Option(
        help: "Clip length in seconds (default \(ExtractionConfiguration.defaultClipSeconds)).")
    var clipSeconds: Double?
    @Option(
        help: "Frames averaged per clip (default \(ExtractionConfiguration.defaultFramesPerClip)).")
    var framesPerClip: Int?
    @Flag(help: "L2-normalise each clip's feature.") var normalize = false
    @Option(help: "This process's part, i/n (default: the launcher's rank, else the whole list).")
    var shard: String?
    @Option(help: "Worker threads (default: VTG_THREADS or every core).") var threads: Int?
    @Option(
        help: """
            The image encoder's products: float32, bf16 or int8 (these two need AVX-512 BF16 or \
            VNNI; elsewhere float32 runs). Recorded in the manifest.
            """)
    var precision: Precision = .float32
    @Argument(help: "Video files, or folders of video files.") var inputs: [String] = []

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("give at least one video file or folder") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        try CommandSupport.validating { _ = try configuration() }
    }

    /// The library's configuration of the options (paths are not checked here).
    func configuration() throws -> ExtractionConfiguration {
        try ExtractionConfiguration(
            clipModelDirectory: ExtractionConfiguration.clipModelDirectory(option: clipModel),
            outputDirectory: URL(fileURLWithPath: output), clipSeconds: clipSeconds,
            framesPerClip: framesPerClip, normalize: normalize,
            shard: try shard.map { try ExtractionShard(parsing: $0) }, precision: precision)
    }

    func run() throws {
        if let threads { WorkerThreads.count = threads }
        try CommandSupport.reportingErrors {
            let reporter = ProgressReporter()
            let summary = try FeatureExtraction(configuration: configuration())
                .run(inputs: inputs, progress: reporter)
            print(ExtractionReport.summary(summary))
            if !summary.succeeded { throw ExitCode.failure }
        }
    }
}

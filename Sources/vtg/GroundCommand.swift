import ArgumentParser
import Extraction
import Foundation
import Grounding
import Metrics
import Reports
import Tensors
import VTGCore

/// `vtg ground`: when do these queries happen in this video?
struct GroundCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ground",
        abstract: "Ground one or more queries in one video: its clip features or a video file.",
        discussion: """
            With --video, the file's CLIP features are extracted with --clip-model (cached in \
            RUN/.video-cache by the file's checksum) as the run's features were; a run trained \
            on another kind of features is refused. Videos longer than the model's maxClips \
            clips are grounded by overlapping windows (no length limit); spans are given in \
            seconds on the video's own timeline. With --zero-shot, no run: each query's CLIP text \
            embedding is compared with each clip's CLIP image embedding (Docs/zero-shot-grounding.md).
            """)

    @Option(
        name: .customLong("run"),
        help: "The run directory written by `vtg train` (not with --zero-shot).")
    var runDirectory: String?
    @Option(
        help: "The video's clip features: a .npy or .npz file (or an HDF5 file with --video-id).")
    var features: String?
    @Option(help: "The .npz member or HDF5 group member (default: features).") var featureKey:
        String?
    @Option(help: "The video inside an HDF5 features file.") var videoId: String?
    @Option(parsing: .unconditional, help: "The video's duration in seconds (with --features).")
    var duration: Double?
    @Option(help: "A video file, instead of --features and --duration.") var video: String?
    @Option(help: "The CLIP model folder for --video (default: VTG_CLIP_MODEL).")
    var clipModel: String?
    @Option(help: "A sentence to ground (repeatable).") var query: [String] = []
    @Option(
        parsing: .unconditional,
        help: "Spans to return per query (default \(SpanDecoder.defaultTopK)).")
    var topK: Int?
    @Option(
        help: "Clips between the starts of windows over a long video (default: half a window).")
    var windowStride: Int?
    @Option(help: "Write an SVG of the per-clip probabilities and spans.") var plot: String?
    @Option(help: "Directory of the MiniLM model files.") var textModel: String?
    @Option(
        help: """
            The frozen encoders' products (MiniLM, and CLIP's image tower with --video): \
            float32, bf16 or int8 (default: the run's text precision, float32 unless trained \
            otherwise; the image encoder float32).
            """)
    var precision: Precision?
    @Option(parsing: .unconditional, help: "Worker threads (default: VTG_THREADS or every core).")
    var threads: Int?
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup(title: "Zero-shot grounding") var zeroShotOptions: ZeroShotOptions
    @Option(
        help: """
            Where --zero-shot --video keeps extracted features (default: CLIP_MODEL/.video-cache).
            """)
    var videoCache: String?

    /// The spans asked for per query.
    var spanCount: Int { topK ?? SpanDecoder.defaultTopK }

    func validate() throws {
        if zeroShotOptions.zeroShot {
            if runDirectory != nil || textModel != nil || windowStride != nil {
                throw ValidationError(
                    "--zero-shot grounds without a run: drop --run, --text-model and --window-stride")
            }
            _ = try zeroShotOptions.resolved(topK: topK)
        } else {
            try zeroShotOptions.validateUnused()
            if videoCache != nil { throw ValidationError("--video-cache needs --zero-shot") }
            if runDirectory == nil {
                throw ValidationError("missing --run (or --zero-shot): there is no model to ground with")
            }
        }
        try CommandSupport.validating {
            try WorkerThreads.validate(threads)
            try Grounder.validate(
                featuresGiven: features != nil, durationSeconds: duration,
                videoFileGiven: video != nil, queries: query, topK: spanCount)
        }
    }

    func run() throws {
        if let threads { WorkerThreads.count = threads }
        if zeroShotOptions.zeroShot { return try runZeroShot() }
        guard let runDirectory else { preconditionFailure("GroundCommand: validate() needs --run") }
        try CommandSupport.reportingErrors {
            let grounder = try Grounder(
                runDirectory: URL(fileURLWithPath: runDirectory), textModelOption: textModel,
                textPrecision: precision)
            let results: [GroundingResult]
            if let video {
                let reporter = ProgressReporter()
                let grounding = try grounder.ground(
                    videoFile: video, queries: query,
                    clipModelDirectory: ExtractionConfiguration.clipModelDirectory(
                        option: clipModel),
                    precision: precision ?? .float32, topK: spanCount,
                    windowStride: windowStride, progress: reporter)
                reporter.message(ExtractionReport.videoLine(grounding.video, path: video))
                results = grounding.results
            } else if let features, let duration {
                let clips = try grounder.loadFeatures(
                    path: features, key: featureKey, videoID: videoId)
                results = try grounder.ground(
                    features: clips, durationSeconds: duration, queries: query, topK: spanCount,
                    windowStride: windowStride)
            } else {
                preconditionFailure("GroundCommand: validate() lets no other case through")
            }
            try output(
                results, plots: results.map(TimelinePlot.init(result:)),
                spans: results.map { ($0.query, $0.spans) })
        }
    }

    /// Writes `plots` (`--plot`), then prints `results` as JSON (`--json`) or each query's ranked
    /// spans, a line each.
    func output<Result: Encodable>(
        _ results: [Result], plots: [TimelinePlot], spans: [(query: String, spans: [ScoredSpan])]
    ) throws {
        if let plot {
            let svg = TimelinePlot.document(plots)
            try Data(svg.utf8).write(to: URL(fileURLWithPath: plot), options: .atomic)
        }
        if json {
            print(try CommandSupport.json(results))
            return
        }
        for (query, ranked) in spans {
            print("\"\(query)\"")
            for (rank, span) in ranked.enumerated() {
                print(
                    String(
                        format: "  #%d  %7.2f – %7.2f s  score %.4f", rank + 1,
                        span.span.startSeconds, span.span.endSeconds, span.score))
            }
        }
    }
}

import ArgumentParser
import Extraction
import Foundation
import Grounding
import NeuralNet
import Tensors
import TextEncoding
import VTGCore
import VideoDecoding
import VisionEncoding

/// `vtg bench`: speed of the engine and models, from a release build.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the engine's speed (GFLOP/s, GB/s, µs per op, ms per step).",
        discussion: "Run from a release build (`make bench`); debug builds are 10-100x slower.")

    @Flag(help: "Shorter measurements, for a smoke run.")
    var quick = false

    @Option(parsing: .unconditional, help: "Worker threads (default: VTG_THREADS or every core).")
    var threads: Int?

    @Option(help: "Also write the figures as JSON to this file.")
    var json: String?

    @Option(
        help: "The MiniLM model folder (default: VTG_TEXT_MODEL or the installed PyPI package).")
    var textModel: String?

    @Flag(help: "Only the text encoder's rows.")
    var textOnly = false

    @Flag(help: "Only the CLIP image encoder's rows (float32, bf16, int8; 1 and 2 threads).")
    var visionOnly = false
    @Flag(help: "Only the grounding rows (training step and batched inference, 1,024-d features).")
    var groundingOnly = false

    @Option(help: "The folder of Scripts/fetch_test_videos.sh, for the video and extraction rows.")
    var testVideos = ".test-videos"

    @Option(
        help: """
            A CLIP model folder for the CLIP text rows (default: a ViT-B/32-sized text tower \
            with random weights over --clip-vocabulary).
            """)
    var clipModel: String?

    @Option(help: "CLIP's bpe_simple_vocab_16e6.txt.gz (Scripts/fetch_test_data.sh puts it here).")
    var clipVocabulary = ".test-data/bpe_simple_vocab_16e6.txt.gz"

    @Flag(help: "Only the CLIP text encoder's rows (Scripts/bench_clip_text.py is their peer).")
    var clipTextOnly = false

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        let only = [textOnly, visionOnly, clipTextOnly, groundingOnly].filter { $0 }.count
        if only > 1 {
            throw ValidationError(
                "give one of --text-only, --vision-only, --clip-text-only and --grounding-only")
        }
    }

    func run() throws {
        if let threads { ComputeThreads.count = threads }
        let progress: (String) -> Void = { stage in
            FileHandle.standardError.write(Data("bench: \(stage)…\n".utf8))
        }
        if clipTextOnly {
            try printAndWrite(clipTextRows(progress: progress))
            return
        }
        if visionOnly {
            try printAndWrite(CLIPVisionBenchmark.run(quick: quick, progress: progress))
            return
        }
        if groundingOnly {
            try printAndWrite(groundingRows(progress: progress))
            return
        }
        var rows = textOnly ? [] : EngineBenchmark.run(quick: quick, progress: progress)
        if !textOnly {
            progress("4-layer encoder training step")
            rows += NeuralNetBenchmark.run(quick: quick).map(\.benchmarkRow)
            progress("zero-shot grounding")
            rows.append(ZeroShotBenchmark.run(quick: quick))
        }
        do {
            let encoder = try MiniLMEncoder(modelFiles: TextModelFiles.locate(option: textModel))
            rows += TextEncodingBenchmark.run(encoder: encoder, quick: quick, progress: progress)
        } catch {
            if textOnly { throw error }
            progress("MiniLM rows skipped: \(error)")
        }
        do {
            rows += try clipTextRows(progress: progress)
        } catch {
            progress("CLIP text rows skipped: \(error)")
        }
        if !textOnly {
            do {
                rows += try groundingRows(progress: progress)
            } catch {
                progress("grounding rows skipped: \(error)")
            }
            rows += try videoRows(progress: progress)
        }
        try printAndWrite(rows)
    }

    /// Prints the table, and writes the JSON when asked.
    func printAndWrite(_ rows: [BenchmarkRow]) throws {
        print(formatBenchmarkTable(rows))
        if let json {
            // Written whole and renamed into place, so a stopped run never leaves half a file.
            try Data(CommandSupport.json(rows).utf8).write(
                to: URL(fileURLWithPath: json), options: .atomic)
        }
    }

    /// Training and batched inference of the default Charades-STA model on a generated
    /// benchmark of the held-out shape (`GroundingBenchmark`), with the MiniLM text states;
    /// inference also with MiniLM and the model at bf16 and int8.
    func groundingRows(progress: @escaping (String) -> Void) throws -> [BenchmarkRow] {
        let encoder = try MiniLMQueryEncoder(textModelOption: textModel)
        return try GroundingBenchmark.run(
            encoder: encoder, workload: .init(quick: quick),
            encoderAt: { try MiniLMQueryEncoder(textModelOption: textModel, precision: $0) },
            progress: progress
        ).rows
    }
}

extension BenchCommand {
    /// The CLIP text encoder's rows at 1 and 2 threads: the model of `--clip-model`, or random
    /// ViT-B/32-sized weights over the vocabulary of `--clip-vocabulary`.
    func clipTextRows(progress: (String) -> Void) throws -> [BenchmarkRow] {
        let encoder: CLIPTextEncoder
        if let clipModel {
            encoder = try CLIPTextEncoder(directory: URL(fileURLWithPath: clipModel))
        } else {
            progress("CLIP text encoder: random weights")
            let vocabulary = try BPEVocabulary(
                originalFileURL: URL(fileURLWithPath: clipVocabulary))
            encoder = CLIPTextBenchmark.randomEncoder(
                tokenizer: CLIPTokenizer(vocabulary: vocabulary))
        }
        // float32, then the reduced precisions this CPU has kernels for.
        let precisions = [Precision.float32, .bf16, .int8].filter {
            CPUFeatures.current.supportedPrecision($0) == $0
        }
        // float32 with its weights packed for one query's few rows (larger batches still
        // run OpenBLAS); VTG_CPU_FEATURES=none measures the plain OpenBLAS pass.
        return precisions.flatMap {
            CLIPTextBenchmark.run(
                encoder: $0 == .float32
                    ? encoder.packedForFewRows() : encoder.converted(to: $0),
                quick: quick, progress: progress)
        }
    }

    /// The CLIP image encoder's rows, and, when the test videos are there, video decoding
    /// (`vtest.avi`, `cockatoo.mp4`) and the whole extraction with a ViT-B/32-sized random CLIP
    /// (`vtest.avi`; and the two-hour generated video for memory, unless `--quick`).
    func videoRows(progress: @escaping (String) -> Void) throws -> [BenchmarkRow] {
        var rows = CLIPVisionBenchmark.run(quick: quick, progress: progress)
        let folder = URL(fileURLWithPath: testVideos, isDirectory: true)
        let vtest = folder.appendingPathComponent("vtest.avi").path
        let cockatoo = folder.appendingPathComponent("cockatoo.mp4").path
        let long = folder.appendingPathComponent("generated/long-2h.mp4").path
        guard [vtest, cockatoo, long].allSatisfy({ FileManager.default.fileExists(atPath: $0) })
        else {
            progress(
                "video rows skipped: no test videos in \(folder.path) "
                    + "(Scripts/fetch_test_videos.sh makes them)")
            return rows
        }
        progress("video decoding")
        rows += try VideoDecodingBenchmark.run(
            paths: [vtest, cockatoo], repetitions: quick ? 1 : 3
        ).map(\.benchmarkRow)
        rows += try ExtractionBenchmark.run(
            paths: quick ? [vtest] : [vtest, long], progress: progress
        ).map(\.row)
        return rows
    }
}

extension VideoDecodingBenchmark.Row {
    /// The row in `vtg bench`'s table: frames decoded to RGB per second, the sampling beside it.
    var benchmarkRow: BenchmarkRow {
        BenchmarkRow(
            group: "video decode", name: "\(video) \(size), \(frames) frames",
            medianMilliseconds: decodeSeconds * 1e3, bestMilliseconds: decodeSeconds * 1e3,
            rate: decodedFramesPerSecond, unit: "frames/s",
            note: String(
                format: "%.0f clips/s sampled, %.0f s of video per s; median of %d",
                sampledClipsPerSecond, sampledVideoSecondsPerSecond, repetitions))
    }
}

extension NeuralNetBenchmark.Row {
    /// The row in `vtg bench`'s table, with the inputs of its GFLOP/s (model FLOPs per step, ms).
    var benchmarkRow: BenchmarkRow {
        var note = String(format: "%.1f samples/s, %.2f GFLOP per step, threads %d",
            samplesPerSecond, flopsPerStep / 1e9, threads)
        if let otherProcessesCores {
            note += String(format: ", other processes %.2f cores", otherProcessesCores)
        }
        return BenchmarkRow(group: "encoder step", name: name,
            medianMilliseconds: millisecondsPerStep, bestMilliseconds: bestMilliseconds,
            rate: gigaflopsPerSecond, unit: "GFLOP/s", note: note)
    }
}

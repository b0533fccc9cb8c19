import Foundation
import NeuralNet
import Tensors
import VTGCore

/// The CLIP image encoder's rows of `vtg bench` (run them from a release build).
///
/// Workload, as issue 12 specifies and `Scripts/bench_clip_vision.py` measures for the peer
/// (transformers' `CLIPVisionModelWithProjection` in PyTorch, same sizes, random weights):
/// batches of 32 preprocessed frames through a ViT-B/32-sized encoder (image 224, patch 32,
/// width 768, 12 layers of 12 heads, MLP 3072, projection 512) with random weights of the real
/// size, at each thread count, at float32 and at the reduced precisions the CPU runs (bf16,
/// int8: see `CLIPVisionModel.converted(to:features:)`); and the preprocessing of 1280×720
/// frames (Pillow-exact bicubic resize to 398×224, centre crop, normalisation), which feature
/// extraction runs per frame.
public enum CLIPVisionBenchmark {
    /// Frames per forward pass.
    public static let batchSize = 32

    /// The multiply-adds of one frame through `configuration`, ×2 for FLOPs: the patch
    /// projection, per layer the four projections, QKᵀ and PV, and the MLP, then the projection
    /// of the class token (about 8.8 GFLOP for ViT-B/32).
    public static func flopsPerFrame(_ configuration: CLIPVisionConfiguration) -> Double {
        let tokens = Double(configuration.tokenCount)
        let hidden = Double(configuration.hiddenSize)
        let patches = Double(configuration.patchCount) * Double(configuration.patchLength) * hidden
        let attention = 4 * tokens * hidden * hidden + 2 * tokens * tokens * hidden
        let mlp = 2 * tokens * hidden * Double(configuration.intermediateSize)
        let projection = hidden * Double(configuration.projectionSize)
        return 2 * (patches + Double(configuration.layerCount) * (attention + mlp) + projection)
    }

    /// Measures the rows: the encoder at each of `threadCounts` (restoring
    /// `ComputeThreads.count` afterwards), then preprocessing at the first thread count; `quick`
    /// shortens each measurement (a smoke run).
    public static func run(
        configuration: CLIPVisionConfiguration = .init(), threadCounts: [Int] = [1, 2],
        quick: Bool, progress: (String) -> Void = { _ in }
    ) -> [BenchmarkRow] {
        precondition(
            !threadCounts.isEmpty && threadCounts.allSatisfy { $0 > 0 },
            "CLIPVisionBenchmark: thread counts must be positive")
        let seconds = quick ? 0.3 : 3
        let savedThreads = ComputeThreads.count
        // Written only when it changes: the setting is process-wide.
        func setThreads(_ count: Int) {
            if ComputeThreads.count != count { ComputeThreads.count = count }
        }
        defer { setThreads(savedThreads) }
        progress("CLIP image encoder: random weights")
        let store = ParameterStore(seed: 1)
        let model = CLIPVisionModel(configuration, parameters: store.root)
        store.freeze(prefix: "")
        var generator = SeededGenerator(seed: 2)
        let side = configuration.imageSize
        let pixels = Tensor.randomNormal(
            [batchSize, 3, side, side], standardDeviation: 1, using: &generator)
        let gigaflops = flopsPerFrame(configuration) / 1e9
        let shape =
            "ViT \(configuration.imageSize)/\(configuration.patchSize), width"
            + " \(configuration.hiddenSize), \(configuration.layerCount) layers"
        // The reduced precisions this CPU runs, converted once (skipped where it lacks them).
        var models = [(precision: Precision.float32, model: model)]
        for precision in [Precision.bf16, .int8] {
            let converted = model.converted(to: precision)
            if converted.precision == precision {
                models.append((precision, converted))
            } else {
                progress(
                    "CLIP image \(precision) rows skipped: the CPU lacks"
                        + " \(precision.requiredFeatures)")
            }
        }
        var rows: [BenchmarkRow] = []
        for threads in threadCounts {
            setThreads(threads)
            for (precision, model) in models {
                let suffix = precision == .float32 ? "" : ", \(precision)"
                progress(
                    "CLIP image encoder\(suffix), \(threads) thread\(threads == 1 ? "" : "s")")
                let time = measure(warmup: 1, minimumRepetitions: 3, minimumSeconds: seconds) {
                    withGradientsDisabled { _ = model(pixels).scalars }
                }
                let framesPerSecond = Double(batchSize) / time.median
                rows.append(
                    BenchmarkRow(
                        group: "CLIP image",
                        name: "encode batch of \(batchSize)\(suffix), threads \(threads)",
                        medianMilliseconds: time.median * 1e3, bestMilliseconds: time.best * 1e3,
                        rate: framesPerSecond, unit: "frames/s",
                        note: String(
                            format: "%@, %.2f GFLOP/frame, %.1f GFLOP/s", shape, gigaflops,
                            gigaflops * framesPerSecond)))
            }
        }

        setThreads(threadCounts[0])
        progress("CLIP preprocessing")
        let frame = RGBImage(
            width: 1280, height: 720,
            bytes: (0..<1280 * 720 * 3).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 / 3840) })
        let frames = [RGBImage](repeating: frame, count: batchSize)
        let preprocessor = CLIPImagePreprocessor()
        let time = measure(warmup: 1, minimumRepetitions: 3, minimumSeconds: seconds) {
            _ = preprocessor(frames)
        }
        rows.append(
            BenchmarkRow(
                group: "CLIP image",
                name: "preprocess \(batchSize) frames 1280×720, threads \(threadCounts[0])",
                medianMilliseconds: time.median * 1e3, bestMilliseconds: time.best * 1e3,
                rate: Double(batchSize) / time.median, unit: "frames/s",
                note: "bicubic resize to 398×224, crop 224×224, normalise"))
        return rows
    }
}

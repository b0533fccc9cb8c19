import Datasets
import Tensors
import VTGCore

/// The zero-shot row of `vtg bench`: one query against a one-hour video's CLIP features (1800
/// clips of 512 floats at 2 s, the ViT-B/32 width) after the text embedding, with the default
/// settings: the cosines, the smoothing, the candidates, NMS and the seconds. Random features
/// give a noisy curve with many runs above the thresholds, more candidates than a real video's.
public enum ZeroShotBenchmark {
    /// Clips of the one-hour video (2-second clips).
    public static let clipCount = 1800
    /// The embedding width (CLIP ViT-B/32's `projection_dim`).
    public static let embeddingSize = 512
    /// The video's duration in seconds.
    public static let durationSeconds = 3600.0

    /// Measures the row; `quick` shortens the measurement (a smoke run).
    public static func run(quick: Bool) -> BenchmarkRow {
        var generator = SeededGenerator(seed: 13)
        let values = (0..<(clipCount * embeddingSize)).map { _ in
            Float.random(in: -1...1, using: &generator)
        }
        let features = ClipFeatures(
            values: values, clipCount: clipCount, featureDimension: embeddingSize)
        let query = (0..<embeddingSize).map { _ in Float.random(in: -1...1, using: &generator) }
        let settings = ZeroShotSettings()
        var spanCount = 0
        let (median, best) = measure(
            warmup: 3, minimumRepetitions: quick ? 5 : 50, minimumSeconds: quick ? 0.05 : 1
        ) {
            spanCount =
                ZeroShotGrounder.ground(
                    queryEmbedding: query, features: features, durationSeconds: durationSeconds,
                    settings: settings
                ).spans.count
        }
        return BenchmarkRow(
            group: "zero-shot", name: "1 query, \(clipCount) clips × \(embeddingSize) (1 h)",
            medianMilliseconds: median * 1e3, bestMilliseconds: best * 1e3, rate: 1 / median,
            unit: "queries/s",
            note: "after the text embedding; \(spanCount) spans; target < 5 ms")
    }
}

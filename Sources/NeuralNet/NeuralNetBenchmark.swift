import Foundation
import Tensors
import VTGCore

/// The transformer training-step benchmark of `vtg bench` (run it from a release build).
///
/// Workload, as issue 3 specifies and the PyTorch peer measures: a 4-layer pre-LN encoder
/// (hidden 256, 4 heads, feed-forward 1024, GELU, dropout 0.1 on each sublayer's output),
/// batch 32 × sequence 160 of random inputs, loss = mean(output²), one training step =
/// forward, backward and AdamW. Variants: DropKey 0.1, attention-probability dropout 0.1 (what
/// PyTorch's `nn.TransformerEncoderLayer` does) and no attention regularisation. Each row is the
/// median of several steps after warm-up, at the current `ComputeThreads.count`, beside a
/// reference `sgemm` of the encoder's largest product measured in the same run.
public enum NeuralNetBenchmark {
    /// One measured row.
    public struct Row: Sendable, CustomStringConvertible {
        /// What was measured.
        public let name: String
        /// `ComputeThreads.count` during the measurement.
        public let threads: Int
        /// Median wall time of one step (or one product), in milliseconds.
        public let millisecondsPerStep: Double
        /// The fastest repeat, in milliseconds (the least disturbed by other processes).
        public let bestMilliseconds: Double
        /// Batch items per second (0 for the sgemm row).
        public let samplesPerSecond: Double
        /// Model floating-point operations per step: 2·m·n·k for every product of the forward
        /// pass, times 3 for forward + backward (element-wise work not counted).
        public let flopsPerStep: Double
        /// flopsPerStep / median time.
        public let gigaflopsPerSecond: Double
        /// The number of timed repeats.
        public let repeats: Int
        /// CPU cores that other processes used during the timed repeats, on average (Linux; nil
        /// elsewhere). Above about 0.2 the figures are disturbed, especially with 2 threads.
        public let otherProcessesCores: Double?

        /// One line of the benchmark table.
        public var description: String {
            let samples =
                samplesPerSecond > 0
                ? String(format: "%6.1f samples/s", samplesPerSecond)
                : String(repeating: " ", count: 16)
            let load =
                otherProcessesCores.map { String(format: "  other load %.2f cores", $0) } ?? ""
            return name.padding(toLength: 44, withPad: " ", startingAt: 0)
                + String(
                    format: " %d thread%@ %8.1f ms (best %8.1f) %@ %6.2f GFLOP %6.1f GFLOP/s",
                    threads, threads == 1 ? " " : "s", millisecondsPerStep, bestMilliseconds,
                    samples, flopsPerStep / 1e9, gigaflopsPerSecond) + load
        }
    }

    /// The benchmark's shape.
    public struct Workload: Sendable {
        /// Encoder layers.
        public var layerCount = 4
        /// Model width.
        public var hiddenSize = 256
        /// Attention heads.
        public var headCount = 4
        /// Feed-forward width.
        public var intermediateSize = 1024
        /// Sequences per batch.
        public var batchSize = 32
        /// Tokens per sequence.
        public var sequenceLength = 160

        /// The workload.
        public init() {}

        /// Forward FLOPs × 3 (see `Row.flopsPerStep`): per layer, 4 projections of
        /// tokens × hidden², 2 feed-forward products of tokens × hidden × intermediate, and the
        /// two attention products batch × sequence² × hidden.
        public var flopsPerStep: Double {
            let tokens = Double(batchSize * sequenceLength)
            let hidden = Double(hiddenSize)
            let projections = 4 * 2 * tokens * hidden * hidden
            let feedForward = 2 * 2 * tokens * hidden * Double(intermediateSize)
            let attention =
                2 * 2 * Double(batchSize) * Double(sequenceLength * sequenceLength) * hidden
            return 3 * Double(layerCount) * (projections + feedForward + attention)
        }
    }

    /// Runs the rows: the sgemm reference, then one training-step row per attention variant.
    /// `quick` uses fewer repeats (a smoke run).
    public static func run(quick: Bool, workload: Workload = Workload()) -> [Row] {
        let repeats = quick ? 2 : 7
        let warmups = quick ? 1 : 2
        var rows = [sgemmReference(workload: workload, repeats: repeats * 3)]
        let variants: [(String, AttentionDropout)] = [
            ("encoder step, DropKey 0.1", .dropKey(probability: 0.1)),
            ("encoder step, attention dropout 0.1", .probabilityDropout(probability: 0.1)),
            ("encoder step, no attention regularisation", .none),
        ]
        for (name, dropout) in variants {
            rows.append(
                trainingStep(
                    name: name, dropout: dropout, workload: workload, warmups: warmups,
                    repeats: repeats))
        }
        return rows
    }

    /// The median time of `x·Wᵀ` for the encoder's feed-forward product
    /// (tokens × hidden → intermediate), as the ceiling the training step is compared with.
    static func sgemmReference(workload: Workload, repeats: Int) -> Row {
        var generator = SeededGenerator(seed: 3)
        let tokens = workload.batchSize * workload.sequenceLength
        let input = Tensor.randomUniform(
            [tokens, workload.hiddenSize], in: -1..<1, using: &generator)
        let weight = Tensor.randomUniform(
            [workload.intermediateSize, workload.hiddenSize], in: -1..<1, using: &generator)
        let timing = measure(warmups: 2, repeats: repeats) {
            _ = matmul(input, weight, transposeB: true)
        }
        let flops = 2 * Double(tokens * workload.hiddenSize * workload.intermediateSize)
        return Row(
            name: "sgemm \(tokens)×\(workload.intermediateSize)×\(workload.hiddenSize) (reference)",
            threads: ComputeThreads.count, millisecondsPerStep: timing.median * 1000,
            bestMilliseconds: timing.best * 1000, samplesPerSecond: 0, flopsPerStep: flops,
            gigaflopsPerSecond: flops / timing.median / 1e9, repeats: repeats,
            otherProcessesCores: timing.otherProcessesCores)
    }

    /// One training-step row.
    static func trainingStep(
        name: String, dropout: AttentionDropout, workload: Workload, warmups: Int, repeats: Int
    ) -> Row {
        let store = ParameterStore(seed: 1)
        let encoder = TransformerEncoder(
            .init(
                layerCount: workload.layerCount,
                layer: .init(
                    hiddenSize: workload.hiddenSize, headCount: workload.headCount,
                    intermediateSize: workload.intermediateSize, activation: .gelu,
                    layerNormEpsilon: 1e-5, normalization: .preLayerNorm, hiddenDropout: 0.1),
                attentionDropout: .constant(dropout)),
            parameters: store.scope("encoder"))
        let optimizer = AdamW(
            groups: ParameterGroup.standard(store, learningRate: 1e-4, weightDecay: 0.01))
        var context = ForwardContext.training(generator: SeededGenerator(seed: 2))
        let input = Tensor.randomUniform(
            [workload.batchSize, workload.sequenceLength, workload.hiddenSize], in: -1..<1,
            using: &context.generator)
        let timing = measure(warmups: warmups, repeats: repeats) {
            let output = encoder(input, context: &context)
            let loss = (output * output).mean()
            loss.backward()
            optimizer.step()
            optimizer.zeroGradients()
        }
        let flops = workload.flopsPerStep
        return Row(
            name: name, threads: ComputeThreads.count, millisecondsPerStep: timing.median * 1000,
            bestMilliseconds: timing.best * 1000,
            samplesPerSecond: Double(workload.batchSize) / timing.median, flopsPerStep: flops,
            gigaflopsPerSecond: flops / timing.median / 1e9, repeats: repeats,
            otherProcessesCores: timing.otherProcessesCores)
    }

    /// The median and best wall time of `body` over `repeats` runs after `warmups` untimed
    /// ones, and the CPU that other processes used meanwhile.
    static func measure(warmups: Int, repeats: Int, _ body: () -> Void) -> (
        median: Double, best: Double, otherProcessesCores: Double?
    ) {
        for _ in 0..<warmups { body() }
        var times: [Double] = []
        let clock = ContinuousClock()
        let before = CPUAccounting.sample()
        for _ in 0..<repeats {
            let elapsed = clock.measure(body)
            times.append(
                Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        }
        let other = before.flatMap { CPUAccounting.otherProcessesCores(since: $0) }
        times.sort()
        let median =
            times.count % 2 == 1
            ? times[times.count / 2] : (times[times.count / 2 - 1] + times[times.count / 2]) / 2
        return (median, times.first ?? 0, other)
    }
}

import Foundation
import VTGCore

/// The tensor engine's benchmarks: BLAS products, element-wise kernels, per-op overhead and one
/// transformer-encoder-shaped block built from the engine's ops (forward and backward).
public enum EngineBenchmark {
    /// Runs every engine benchmark; `quick` shortens each measurement (for smoke runs).
    public static func run(quick: Bool, progress: (String) -> Void = { _ in }) -> [BenchmarkRow] {
        let seconds = quick ? 0.1 : 0.5
        var rows: [BenchmarkRow] = []
        var generator = SeededGenerator(seed: 1)
        let threads = "threads \(ComputeThreads.count)"

        progress("sgemm")
        for (m, n, k) in [(2048, 384, 384), (2048, 1536, 384), (2048, 384, 1536), (512, 512, 512)] {
            let a = Tensor.randomNormal([m, k], using: &generator)
            let b = Tensor.randomNormal([k, n], using: &generator)
            let time = measure(minimumSeconds: seconds) { _ = matmul(a, b) }
            let flops = 2.0 * Double(m * n * k)
            rows.append(BenchmarkRow(group: "sgemm", name: "\(m)×\(n)×\(k)",
                medianMilliseconds: time.median * 1e3, bestMilliseconds: time.best * 1e3,
                rate: flops / time.median / 1e9, unit: "GFLOP/s", note: threads))
        }
        do {
            let a = Tensor.randomNormal([64, 128, 64], using: &generator)
            let b = Tensor.randomNormal([64, 64, 128], using: &generator)
            let time = measure(minimumSeconds: seconds) { _ = matmul(a, b) }
            let flops = 64 * 2.0 * 128 * 128 * 64
            rows.append(BenchmarkRow(group: "sgemm", name: "64 × (128×128×64) batched",
                medianMilliseconds: time.median * 1e3, bestMilliseconds: time.best * 1e3,
                rate: flops / time.median / 1e9, unit: "GFLOP/s", note: threads))
        }

        progress("element-wise")
        let million = 1 << 20
        let x = Tensor.randomNormal([million], using: &generator)
        let y = Tensor.randomNormal([million], using: &generator)
        let slice160 = x.slice(axis: 0, range: 0..<(6553 * 160)).reshaped(to: [6553, 160])
        let slice384 = x.slice(axis: 0, range: 0..<(2730 * 384)).reshaped(to: [2730, 384])
        let gamma = Tensor.ones([384])
        let beta = Tensor.zeros([384])
        let elementwise: [(String, Int, Int, () -> Void)] = [
            ("add (1M floats)", million, 3, { _ = x + y }),
            ("gelu (1M floats)", million, 2, { _ = x.gelu() }),
            ("exp (1M floats)", million, 2, { _ = x.exp() }),
            ("tanh (1M floats)", million, 2, { _ = x.tanh() }),
            ("softmax rows of 160 (1M floats)", 6553 * 160, 2, { _ = slice160.softmax() }),
            ("layer norm rows of 384 (1M floats)", 2730 * 384, 2, {
                _ = slice384.layerNorm(weight: gamma, bias: beta)
            }),
        ]
        for (name, elements, streams, body) in elementwise {
            let time = measure(minimumSeconds: seconds, body)
            let bytes = Double(elements * streams * 4)
            rows.append(BenchmarkRow(group: "element-wise", name: name,
                medianMilliseconds: time.median * 1e3, bestMilliseconds: time.best * 1e3,
                rate: bytes / time.median / 1e9, unit: "GB/s",
                note: "\(streams) streams of 4-byte floats, \(threads)"))
        }

        progress("per-op overhead")
        let small = Tensor(shape: [4], scalars: [1, 2, 3, 4])
        let smallOther = Tensor(shape: [4], scalars: [5, 6, 7, 8], requiresGrad: true)
        let inner = 1000
        let forward = measure(minimumSeconds: seconds) {
            for _ in 0..<inner { _ = small + small }
        }
        rows.append(BenchmarkRow(group: "overhead", name: "add of 4 floats, forward",
            medianMilliseconds: forward.median * 1e3 / Double(inner),
            bestMilliseconds: forward.best * 1e3 / Double(inner),
            rate: forward.median * 1e6 / Double(inner), unit: "µs/op"))
        let backward = measure(minimumSeconds: seconds) {
            for _ in 0..<inner {
                let sum = small + smallOther
                sum.backward(seed: small)
            }
            smallOther.zeroGradient()
        }
        rows.append(BenchmarkRow(group: "overhead", name: "add of 4 floats, forward + backward",
            medianMilliseconds: backward.median * 1e3 / Double(inner),
            bestMilliseconds: backward.best * 1e3 / Double(inner),
            rate: backward.median * 1e6 / Double(inner), unit: "µs/op"))

        progress("encoder block")
        rows.append(encoderBlock(seconds: quick ? 0.5 : 3, generator: &generator))
        return rows
    }

    /// One post-LN transformer encoder block (batch 32, sequence 160, hidden 256, 4 heads,
    /// feed-forward 1024) built from engine ops: forward and backward to every weight.
    static func encoderBlock(seconds: Double, generator: inout SeededGenerator) -> BenchmarkRow {
        let (batch, sequence, hidden, heads, feedForward) = (32, 160, 256, 4, 1024)
        let headSize = hidden / heads
        let tokens = batch * sequence
        func weight(_ shape: [Int]) -> Tensor {
            let w = Tensor.randomNormal(shape, standardDeviation: 0.02, using: &generator)
            w.requiresGrad = true
            return w
        }
        let wq = weight([hidden, hidden]), wk = weight([hidden, hidden])
        let wv = weight([hidden, hidden]), wo = weight([hidden, hidden])
        let w1 = weight([feedForward, hidden]), w2 = weight([hidden, feedForward])
        let b1 = weight([feedForward]), b2 = weight([hidden])
        let ln1w = Tensor.ones([hidden], requiresGrad: true)
        let ln1b = Tensor.zeros([hidden], requiresGrad: true)
        let ln2w = Tensor.ones([hidden], requiresGrad: true)
        let ln2b = Tensor.zeros([hidden], requiresGrad: true)
        let input = Tensor.randomNormal([tokens, hidden], using: &generator)
        let parameters = [wq, wk, wv, wo, w1, w2, b1, b2, ln1w, ln1b, ln2w, ln2b]
        let scale = 1 / Float(headSize).squareRoot()

        func step() {
            // [tokens, hidden] → [batch, heads, sequence, headSize]
            func split(_ x: Tensor) -> Tensor {
                x.reshaped(to: [batch, sequence, heads, headSize]).transposed(0, 2, 1, 3)
            }
            let q = split(matmul(input, wq, transposeB: true))
            let k = split(matmul(input, wk, transposeB: true))
            let v = split(matmul(input, wv, transposeB: true))
            let probabilities = (matmul(q, k, transposeB: true) * scale).softmax()
            let context = matmul(probabilities, v).transposed(0, 2, 1, 3)
                .reshaped(to: [tokens, hidden])  // [batch, sequence, heads, headSize] flattened
            let attended = (input + matmul(context, wo, transposeB: true))
                .layerNorm(weight: ln1w, bias: ln1b)
            let expanded = (matmul(attended, w1, transposeB: true) + b1).gelu()
            let output = (attended + matmul(expanded, w2, transposeB: true) + b2)
                .layerNorm(weight: ln2w, bias: ln2b)
            output.mean().backward()
            for parameter in parameters { parameter.zeroGradient() }
        }
        let time = measure(warmup: 1, minimumRepetitions: 3, minimumSeconds: seconds, step)
        let projections = 4.0 * 2 * Double(tokens * hidden * hidden)
        let attention = 2.0 * 2 * Double(batch * heads * sequence * sequence * headSize)
        let feedForwardFlops = 2.0 * 2 * Double(tokens * hidden * feedForward)
        // Backward costs two products per forward product.
        let flops = 3 * (projections + attention + feedForwardFlops)
        return BenchmarkRow(group: "encoder block",
            name: "b32 s160 h256 4 heads ff1024, fwd+bwd",
            medianMilliseconds: time.median * 1e3, bestMilliseconds: time.best * 1e3,
            rate: flops / time.median / 1e9, unit: "GFLOP/s",
            note: String(format: "%.2f GFLOP per step, threads %d", flops / 1e9,
                ComputeThreads.count))
    }
}

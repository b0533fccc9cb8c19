import CBLAS
import VTGCore

/// How attention is regularised in training.
public enum AttentionDropout: Sendable, Equatable, Codable {
    /// No regularisation (evaluation, or training without it).
    case none
    /// DropKey: each attention logit independently gets −∞ with this probability before the
    /// softmax, so the surviving keys share the whole weight; nothing is dropped afterwards.
    case dropKey(probability: Float)
    /// Ordinary dropout on the attention probabilities after the softmax (inverted: survivors
    /// scaled by 1/(1 − p)), as BERT's `attention_probs_dropout_prob`.
    case probabilityDropout(probability: Float)

    /// The drop probability (0 for `.none`).
    public var probability: Float {
        switch self {
        case .none: return 0
        case .dropKey(let probability), .probabilityDropout(let probability): return probability
        }
    }
}

/// Multi-head scaled dot-product attention, fused: for every batch item b and head h,
///
///     S = Q_bh · K_bhᵀ / √headSize + bias_bh        [queries, keys]
///     P = softmax(S) over keys                      (DropKey: dropped logits are −∞ first)
///     O_bh = P · V_bh                               (probability dropout: P ⊙ mask/(1 − p))
///
/// Shape legend: `query` `[batch, queries, heads·headSize]`, `key` and `value`
/// `[batch, keys, heads·headSize]` (heads side by side in the last axis, as a linear projection
/// writes them: no permute is needed before or after); `bias` broadcasts to
/// `[batch, heads, queries, keys]` and its last axis is `keys`. Returns the output
/// `[batch, queries, heads·headSize]` and the attention weights P `[batch, heads, queries, keys]`
/// (before probability dropout; not on the tape).
///
/// Masking: a logit of −∞ (from `bias`, e.g. a padded key, or from DropKey) gets weight exactly
/// 0; a row in which every logit is −∞ gets all-zero weights, so its output and gradients are
/// zero, never NaN.
///
/// Randomness: when `dropout` is active one number is drawn from `generator`; the drop decision
/// of logit i (in `[batch, heads, queries, keys]` order) is a `CounterRandom` draw at a position
/// derived from i, so the masks do not depend on the thread count, and the backward pass
/// regenerates a probability-dropout mask instead of storing it.
///
/// Backward, per (b, h), with G = dO_bh and s = 1/√headSize:
/// dP = G·V_bhᵀ; dV_bh = Pᵀ·G; dS = P ⊙ (dP − rowsum(dP ⊙ P)); dQ_bh = s·dS·K_bh;
/// dK_bh = s·dSᵀ·Q_bh; dbias = dS summed over broadcast axes. (With probability dropout, P is
/// replaced by the dropped P′ in the forward product and in dV, and dP is masked and scaled.)
public func scaledDotProductAttention(
    query: Tensor, key: Tensor, value: Tensor, headCount: Int, bias: Tensor? = nil,
    dropout: AttentionDropout = .none, using generator: inout SeededGenerator
) -> (output: Tensor, weights: Tensor) {
    let plan = AttentionPlan(
        query: query, key: key, value: value, headCount: headCount, bias: bias)
    let probability = dropout.probability
    precondition(
        probability >= 0 && probability < 1,
        "scaledDotProductAttention: dropout probability must be in [0, 1), got \(probability)")
    let streamSeed: UInt64 = probability > 0 ? generator.next() : 0
    let output = Tensor.uninitialized(query.shape)
    let weights = Tensor.uninitialized(
        [plan.batch, plan.headCount, plan.queryCount, plan.keyCount])
    plan.forward(
        query: query, key: key, value: value, bias: bias, dropout: dropout,
        streamSeed: streamSeed, output: output, weights: weights)
    let savedWeights = weights.savedForBackward
    var inputs = [query, key, value]
    if let bias { inputs.append(bias) }
    let result = output.recorded("scaledDotProductAttention", inputs) { gradient in
        plan.backward(
            gradient: gradient, query: query, key: key, value: value, bias: bias,
            dropout: dropout, streamSeed: streamSeed, weights: savedWeights)
    }
    return (result, weights)
}

/// The sizes, strides and kernels of one `scaledDotProductAttention` call.
struct AttentionPlan {
    let batch: Int
    let headCount: Int
    let headSize: Int
    let queryCount: Int
    let keyCount: Int
    /// heads·headSize: the row stride of query, key, value and output.
    let width: Int
    let scale: Float
    /// The bias's element strides for batch, head and query (0 where it broadcasts).
    let biasStrides: (batch: Int, head: Int, query: Int)

    init(query: Tensor, key: Tensor, value: Tensor, headCount: Int, bias: Tensor?) {
        precondition(
            query.rank == 3 && key.rank == 3 && value.rank == 3,
            "scaledDotProductAttention: query \(query.shape), key \(key.shape) and value \(value.shape) must be [batch, tokens, heads·headSize]"
        )
        precondition(
            key.shape == value.shape && query.shape[0] == key.shape[0]
                && query.shape[2] == key.shape[2],
            "scaledDotProductAttention: query \(query.shape), key \(key.shape), value \(value.shape) disagree"
        )
        precondition(
            headCount > 0 && query.shape[2] % headCount == 0,
            "scaledDotProductAttention: width \(query.shape[2]) is not divisible by \(headCount) heads"
        )
        batch = query.shape[0]
        self.headCount = headCount
        width = query.shape[2]
        headSize = width / headCount
        queryCount = query.shape[1]
        keyCount = key.shape[1]
        scale = 1 / Float(headSize).squareRoot()
        if let bias {
            let full = [batch, headCount, queryCount, keyCount]
            precondition(
                bias.rank <= 4 && bias.shape.last == keyCount,
                "scaledDotProductAttention: bias \(bias.shape) must broadcast to \(full) with keys last"
            )
            let padded = [Int](repeating: 1, count: 4 - bias.rank) + bias.shape
            var strides = [0, 0, 0]
            var running = keyCount
            for axis in stride(from: 2, through: 0, by: -1) {
                precondition(
                    padded[axis] == 1 || padded[axis] == full[axis],
                    "scaledDotProductAttention: bias \(bias.shape) does not broadcast to \(full)")
                strides[axis] = padded[axis] == 1 ? 0 : running
                running *= padded[axis]
            }
            biasStrides = (strides[0], strides[1], strides[2])
        } else {
            biasStrides = (0, 0, 0)
        }
    }

    /// The element offset of head h of batch item b's first row in a `[batch, tokens, width]`
    /// tensor with `tokens` rows per item.
    @inline(__always)
    func headOffset(batchItem: Int, head: Int, tokens: Int) -> Int {
        batchItem * tokens * width + head * headSize
    }

    func forward(
        query: Tensor, key: Tensor, value: Tensor, bias: Tensor?, dropout: AttentionDropout,
        streamSeed: UInt64, output: Tensor, weights: Tensor
    ) {
        let pointers = UncheckedSendable(
            (
                query.storage.pointer, key.storage.pointer, value.storage.pointer,
                bias?.storage.pointer, output.storage.pointer, weights.storage.pointer
            ))
        let matrixSize = queryCount * keyCount
        let pair: (Int) -> Void = { task in
            let (q, k, v, biasPointer, out, weightPointer) = pointers.value
            let (b, h) = task.quotientAndRemainder(dividingBy: headCount)
            let scores = weightPointer + task * matrixSize
            let queryOffset = headOffset(batchItem: b, head: h, tokens: queryCount)
            let keyOffset = headOffset(batchItem: b, head: h, tokens: keyCount)
            // S = s·Q·Kᵀ, written straight into this pair's slot of the weights.
            AttentionPlan.sgemm(
                false, true, queryCount, keyCount, headSize, scale,
                q + queryOffset, width, k + keyOffset, width, 0, scores, keyCount)
            for row in 0..<queryCount {
                let logits = scores + row * keyCount
                if let biasPointer {
                    let biasRow =
                        biasPointer + b * biasStrides.batch + h * biasStrides.head
                        + row * biasStrides.query
                    VectorMath.apply(logits, biasRow, logits, count: keyCount) { $0 + $1 }
                }
                if case .dropKey(let probability) = dropout, probability > 0 {
                    CounterRandom.dropToNegativeInfinity(
                        logits, first: task * matrixSize + row * keyCount, count: keyCount,
                        probability: probability, seed: streamSeed)
                }
                AttentionPlan.maskedSoftmaxRow(logits, count: keyCount)
            }
            var mixed = UnsafePointer(scores)
            var dropped: UnsafeMutablePointer<Float>? = nil
            if case .probabilityDropout(let probability) = dropout, probability > 0 {
                let buffer = UnsafeMutablePointer<Float>.allocate(capacity: max(matrixSize, 1))
                CounterRandom.applyKeepFactors(
                    scores, buffer, first: task * matrixSize,
                    count: matrixSize, probability: probability, seed: streamSeed)
                mixed = UnsafePointer(buffer)
                dropped = buffer
            }
            AttentionPlan.sgemm(
                false, false, queryCount, headSize, keyCount, 1,
                mixed, keyCount, v + keyOffset, width, 0, out + queryOffset, width)
            dropped?.deallocate()
        }
        // Small attentions (one short query: 12 heads of 15 × 15 keys) run on the calling
        // thread: waking a worker costs more than all their heads.
        let multiplyAdds = 2 * batch * headCount * matrixSize * headSize
        if multiplyAdds < BLAS.minimumParallelMultiplyAdds {
            for task in 0..<batch * headCount { pair(task) }
        } else {
            ComputeThreads.forEachTask(total: batch * headCount, pair)
        }
    }

    func backward(
        gradient: Tensor, query: Tensor, key: Tensor, value: Tensor, bias: Tensor?,
        dropout: AttentionDropout, streamSeed: UInt64, weights: Tensor
    ) -> [Tensor?] {
        let queryGradient = Tensor.uninitialized(query.shape)
        let keyGradient = Tensor.uninitialized(key.shape)
        let valueGradient = Tensor.uninitialized(value.shape)
        let matrixSize = queryCount * keyCount
        // The bias gradient is dS itself, kept whole and summed over broadcast axes at the end.
        let scoreGradients: Tensor? =
            bias?.requiresGrad == true
            ? Tensor.uninitialized([batch, headCount, queryCount, keyCount]) : nil
        let pointers = UncheckedSendable(
            (
                gradient.storage.pointer, query.storage.pointer, key.storage.pointer,
                value.storage.pointer, weights.storage.pointer, queryGradient.storage.pointer,
                keyGradient.storage.pointer, valueGradient.storage.pointer,
                scoreGradients?.storage.pointer
            ))
        ComputeThreads.forEachTask(total: batch * headCount) { task in
            let (g, q, k, v, weightPointer, dq, dk, dv, dsAll) = pointers.value
            let (b, h) = task.quotientAndRemainder(dividingBy: headCount)
            let probabilities = weightPointer + task * matrixSize
            let queryOffset = headOffset(batchItem: b, head: h, tokens: queryCount)
            let keyOffset = headOffset(batchItem: b, head: h, tokens: keyCount)
            let scratch =
                dsAll.map { $0 + task * matrixSize }
                ?? UnsafeMutablePointer<Float>.allocate(capacity: max(matrixSize, 1))
            defer { if dsAll == nil { scratch.deallocate() } }
            // dP = G·Vᵀ
            AttentionPlan.sgemm(
                false, true, queryCount, keyCount, headSize, 1,
                g + queryOffset, width, v + keyOffset, width, 0, scratch, keyCount)
            if case .probabilityDropout(let probability) = dropout, probability > 0 {
                // Regenerate the forward's mask from the same positions of the same stream.
                let mask = UnsafeMutablePointer<Float>.allocate(capacity: max(matrixSize, 1))
                defer { mask.deallocate() }
                CounterRandom.applyKeepFactors(
                    nil, mask, first: task * matrixSize,
                    count: matrixSize, probability: probability, seed: streamSeed)
                for index in 0..<matrixSize { scratch[index] *= mask[index] }
                for index in 0..<matrixSize { mask[index] *= probabilities[index] }
                // dV = P′ᵀ·G
                AttentionPlan.sgemm(
                    true, false, keyCount, headSize, queryCount, 1,
                    mask, keyCount, g + queryOffset, width, 0, dv + keyOffset, width)
            } else {
                // dV = Pᵀ·G
                AttentionPlan.sgemm(
                    true, false, keyCount, headSize, queryCount, 1,
                    probabilities, keyCount, g + queryOffset, width, 0, dv + keyOffset, width)
            }
            for row in 0..<queryCount {
                AttentionPlan.softmaxBackwardRow(
                    probabilities + row * keyCount, scratch + row * keyCount, count: keyCount)
            }
            // dQ = s·dS·K, dK = s·dSᵀ·Q
            AttentionPlan.sgemm(
                false, false, queryCount, headSize, keyCount, scale,
                scratch, keyCount, k + keyOffset, width, 0, dq + queryOffset, width)
            AttentionPlan.sgemm(
                true, false, keyCount, headSize, queryCount, scale,
                scratch, keyCount, q + queryOffset, width, 0, dk + keyOffset, width)
        }
        var gradients: [Tensor?] = [queryGradient, keyGradient, valueGradient]
        if let bias {
            gradients.append(
                scoreGradients.map { full in
                    full.summed(toShape: [Int](repeating: 1, count: 4 - bias.rank) + bias.shape)
                        .reshaped(to: bias.shape)
                })
        }
        return gradients
    }

    /// In-place softmax of one row in which −∞ marks a masked logit: masked entries get exactly
    /// 0, and a row with no unmasked entry becomes all zeros.
    @inline(__always)
    static func maskedSoftmaxRow(_ row: UnsafeMutablePointer<Float>, count: Int) {
        let maximum = Tensor.rowMax(row, count: count)
        if maximum == -.infinity {
            row.update(repeating: 0, count: count)
            return
        }
        VectorMath.apply(row, row, count: count) { x in
            VectorMath.exp(x - maximum).replacing(with: 0, where: x .== -.infinity)
        }
        let scale = 1 / Tensor.rowSum(row, count: count)
        VectorMath.apply(row, row, count: count) { $0 * scale }
    }

    /// The softmax backward of one row, in place: dS = P ⊙ (dP − Σ dP ⊙ P).
    @inline(__always)
    static func softmaxBackwardRow(
        _ probabilities: UnsafePointer<Float>, _ gradient: UnsafeMutablePointer<Float>,
        count: Int
    ) {
        var accumulator = SIMD16<Float>()
        var index = 0
        while index + 16 <= count {
            let p = UnsafeRawPointer(probabilities + index).loadUnaligned(as: SIMD16<Float>.self)
            let d = UnsafeRawPointer(gradient + index).loadUnaligned(as: SIMD16<Float>.self)
            accumulator += p * d
            index += 16
        }
        var dot = accumulator.sum()
        while index < count {
            dot += probabilities[index] * gradient[index]
            index += 1
        }
        VectorMath.apply(probabilities, gradient, gradient, count: count) { p, d in
            p * (d - dot)
        }
    }

    /// C = α·op(A)·op(B) + β·C, row-major, on the calling thread.
    @inline(__always)
    static func sgemm(
        _ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
        _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
        _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int
    ) {
        _ = Engine.configured
        if m == 0 || n == 0 { return }
        if k == 0 {
            for row in 0..<m { (c + row * ldc).update(repeating: 0, count: n) }
            return
        }
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
            transposeB ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), Int32(k), alpha, a,
            Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}

import CBLAS

/// The matrix product of the last two axes, through OpenBLAS's `cblas_sgemm`.
///
/// Shapes, with `op(x)` the transpose of x's last two axes when its flag is set:
/// `op(a)`: `[..., m, k]`, `op(b)`: `[..., k, n]` → `[..., m, n]`. The leading (batch) axes of
/// `a` and `b` must be equal, or one operand must be 2-D and is shared by every batch item.
/// Transposes are passed to BLAS as flags: no operand is ever copied.
///
/// Backward, for C = op(A)·op(B) with gradient G (the four cases are the same identity,
/// dA = G·Bᵀ and dB = Aᵀ·G, written without materialising a transpose):
/// - A·B:   dA = G·Bᵀ,  dB = Aᵀ·G
/// - A·Bᵀ:  dA = G·B,   dB = Gᵀ·A
/// - Aᵀ·B:  dA = B·Gᵀ,  dB = A·G
/// - Aᵀ·Bᵀ: dA = Bᵀ·Gᵀ, dB = Gᵀ·Aᵀ
public func matmul(
    _ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false
) -> Tensor {
    precondition(a.rank >= 2 && b.rank >= 2,
        "matmul: operands need at least 2 axes, got \(a.shape) and \(b.shape)")
    let m = transposeA ? a.shape[a.rank - 1] : a.shape[a.rank - 2]
    let k = transposeA ? a.shape[a.rank - 2] : a.shape[a.rank - 1]
    let otherK = transposeB ? b.shape[b.rank - 1] : b.shape[b.rank - 2]
    let n = transposeB ? b.shape[b.rank - 2] : b.shape[b.rank - 1]
    precondition(k == otherK,
        "matmul: inner sizes differ: \(a.shape)\(transposeA ? "ᵀ" : "") · \(b.shape)\(transposeB ? "ᵀ" : "")")
    let batchA = Array(a.shape.dropLast(2))
    let batchB = Array(b.shape.dropLast(2))
    precondition(batchA == batchB || batchA.isEmpty || batchB.isEmpty,
        "matmul: batch axes \(batchA) and \(batchB) differ (one operand may be 2-D)")
    let batchShape = batchA.isEmpty ? batchB : batchA
    let batchCount = batchShape.reduce(1, *)
    let result = Tensor.uninitialized(batchShape + [m, n])

    let strideA = batchA.isEmpty ? 0 : m * k
    let strideB = batchB.isEmpty ? 0 : k * n
    if batchB.isEmpty && !transposeA {
        // A batch of rows times one matrix is one product of the stacked rows: [batch·m, k].
        BLAS.gemm(transposeA: false, transposeB: transposeB, m: batchCount * m, n: n, k: k,
            a: a.storage.pointer, b: b.storage.pointer, c: result.storage.pointer)
    } else {
        BLAS.batchedGemm(count: batchCount, transposeA: transposeA, transposeB: transposeB,
            m: m, n: n, k: k, a: a.storage.pointer, strideA: strideA,
            b: b.storage.pointer, strideB: strideB, c: result.storage.pointer)
    }

    return result.recorded("matmul", [a, b]) { gradient in
        var gradientA: Tensor? = nil
        var gradientB: Tensor? = nil
        if a.requiresGrad {
            switch (transposeA, transposeB) {
            case (false, false): gradientA = matmul(gradient, b, transposeB: true)
            case (false, true): gradientA = matmul(gradient, b)
            case (true, false): gradientA = matmul(b, gradient, transposeB: true)
            case (true, true): gradientA = matmul(b, gradient, transposeA: true, transposeB: true)
            }
            gradientA = gradientA!.summed(toShape: a.shape)
        }
        if b.requiresGrad {
            if batchB.isEmpty && !batchA.isEmpty && !transposeA {
                // Fold the batch into rows so that one product also sums over it.
                let rows = batchCount * m
                let foldedA = a.reshaped(to: [rows, k])
                let foldedGradient = gradient.reshaped(to: [rows, n])
                gradientB = transposeB
                    ? matmul(foldedGradient, foldedA, transposeA: true)
                    : matmul(foldedA, foldedGradient, transposeA: true)
            } else {
                switch (transposeA, transposeB) {
                case (false, false): gradientB = matmul(a, gradient, transposeA: true)
                case (false, true): gradientB = matmul(gradient, a, transposeA: true)
                case (true, false): gradientB = matmul(a, gradient)
                case (true, true):
                    gradientB = matmul(gradient, a, transposeA: true, transposeB: true)
                }
                gradientB = gradientB!.summed(toShape: b.shape)
            }
        }
        return [gradientA, gradientB]
    }
}

/// Thin wrappers over `cblas_sgemm` (row-major, single-threaded BLAS) that spread independent
/// products, or row blocks of one large product, over the engine's worker threads.
enum BLAS {
    /// Products smaller than this many multiply-adds run on the calling thread: waking a worker
    /// costs tens of microseconds, about 2 M multiply-adds at this machine's 100 GFLOP/s.
    static let minimumParallelMultiplyAdds = 2_000_000

    /// C[m, n] = op(A)·op(B) for one product; split into row (or column) blocks across threads
    /// when large.
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>
    ) {
        _ = Engine.configured
        if m == 0 || n == 0 { return }
        if k == 0 {
            c.update(repeating: 0, count: m * n)
            return
        }
        let lda = transposeA ? m : k
        let ldb = transposeB ? k : n
        let threads = min(ComputeThreads.count, m * n * k / minimumParallelMultiplyAdds)
        if threads <= 1 {
            sgemm(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, n)
            return
        }
        let pointers = UncheckedSendable((a, b, c))
        if m >= 2 * threads * 8 {
            // Row blocks of C: rows of op(A) start at row r of A, or column r of a stored Aᵀ.
            ComputeThreads.forEachTask(total: threads) { part in
                let (a, b, c) = pointers.value
                let start = m * part / threads
                let end = m * (part + 1) / threads
                let offsetA = transposeA ? start : start * lda
                sgemm(transposeA, transposeB, end - start, n, k, a + offsetA, lda, b, ldb,
                    c + start * n, n)
            }
        } else {
            // Column blocks of C: columns of op(B) start at column j of B, or row j of Bᵀ.
            ComputeThreads.forEachTask(total: threads) { part in
                let (a, b, c) = pointers.value
                let start = n * part / threads
                let end = n * (part + 1) / threads
                let offsetB = transposeB ? start * ldb : start
                sgemm(transposeA, transposeB, m, end - start, k, a, lda, b + offsetB, ldb,
                    c + start, n)
            }
        }
    }

    /// `count` independent products C_i = op(A_i)·op(B_i), operands `stride` elements apart
    /// (stride 0 shares one operand), run side by side on the worker threads.
    static func batchedGemm(
        count: Int, transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, strideA: Int, b: UnsafePointer<Float>, strideB: Int,
        c: UnsafeMutablePointer<Float>
    ) {
        _ = Engine.configured
        if count == 0 || m == 0 || n == 0 { return }
        if count == 1 {
            gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, b: b,
                c: c)
            return
        }
        if k == 0 {
            c.update(repeating: 0, count: count * m * n)
            return
        }
        let lda = transposeA ? m : k
        let ldb = transposeB ? k : n
        let pointers = UncheckedSendable((a, b, c))
        let body: (Int) -> Void = { index in
            let (a, b, c) = pointers.value
            sgemm(transposeA, transposeB, m, n, k, a + index * strideA, lda, b + index * strideB,
                ldb, c + index * m * n, n)
        }
        if count * m * n * k < minimumParallelMultiplyAdds || ComputeThreads.count == 1 {
            for index in 0..<count { body(index) }
        } else {
            ComputeThreads.forEachTask(total: count, body)
        }
    }

    @inline(__always)
    static func sgemm(
        _ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int,
        _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
        _ c: UnsafeMutablePointer<Float>, _ ldc: Int
    ) {
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
            transposeB ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), Int32(k), 1, a,
            Int32(lda), b, Int32(ldb), 0, c, Int32(ldc))
    }
}

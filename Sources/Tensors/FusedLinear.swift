import CBLAS

/// The affine map of a linear layer, y = x·Wᵀ + b, fused: the output starts as copies of the
/// bias row and one `sgemm` with β = 1 adds x·Wᵀ to it, so the bias costs no extra pass, no
/// extra tensor and no extra tape node. Same value as `matmul(x, w, transposeB: true) + b`,
/// which is its test oracle.
///
/// Shapes: `input` `[..., inputSize]` (at least 2 axes), `weight` `[outputSize, inputSize]`
/// (PyTorch's layout), `bias` `[outputSize]` or nil → `[..., outputSize]`.
///
/// Backward, with the leading axes folded into rows (X `[rows, in]`, G `[rows, out]`):
/// dX = G·W, dW = Gᵀ·X, db = Σ_rows G.
public func linear(_ input: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
    precondition(
        input.rank >= 2 && weight.rank == 2 && input.shape.last == weight.shape[1],
        "linear: input \(input.shape) and weight \(weight.shape) (expected [..., in] and [out, in])"
    )
    let outputSize = weight.shape[0]
    let inputSize = weight.shape[1]
    if let bias {
        precondition(
            bias.shape == [outputSize],
            "linear: bias \(bias.shape) vs weight \(weight.shape)")
    }
    let rows = input.count / Swift.max(inputSize, 1)
    let result = Tensor.uninitialized(Array(input.shape.dropLast()) + [outputSize])
    LinearKernels.affine(
        rows: rows, inputSize: inputSize, outputSize: outputSize, input: input.storage.pointer,
        weight: weight.storage.pointer, bias: bias?.storage.pointer,
        output: result.storage.pointer)
    var inputs = [input, weight]
    if let bias { inputs.append(bias) }
    return result.recorded("linear", inputs) { gradient in
        let g = gradient.storage.pointer
        var gradients: [Tensor?] = [nil]
        if input.requiresGrad {
            // dX = G·W: [rows, out]·[out, in]
            let inputGradient = Tensor.uninitialized(input.shape)
            BLAS.gemm(
                transposeA: false, transposeB: false, m: rows, n: inputSize, k: outputSize,
                a: g, b: weight.storage.pointer, c: inputGradient.storage.pointer)
            gradients[0] = inputGradient
        }
        return gradients
            + LinearKernels.parameterGradients(g, input: input, weight: weight, bias: bias)
    }
}

/// `linear` computed on the rows `selection` keeps only (see `RowSelection`): their values are
/// the same bits as `linear(input, weight:, bias:)` gives them, every other row is 0, and so is
/// the input gradient of every other row. The weight and bias gradients sum over all rows as
/// `linear` does. Without a selection, or one of another row count, this is `linear`.
public func linear(_ input: Tensor, weight: Tensor, bias: Tensor?, rows selection: RowSelection?)
    -> Tensor
{
    let inputSize = weight.shape.count == 2 ? weight.shape[1] : 0
    let rows = input.count / Swift.max(inputSize, 1)
    guard let selection, selection.rowCount == rows, input.rank >= 2, inputSize > 0,
        input.shape.last == inputSize
    else { return linear(input, weight: weight, bias: bias) }
    let outputSize = weight.shape[0]
    if let bias {
        precondition(
            bias.shape == [outputSize], "linear: bias \(bias.shape) vs weight \(weight.shape)")
    }
    let kept = selection.keptCount
    let compactInput = Tensor.uninitialized([kept, inputSize])
    selection.gather(input.storage.pointer, width: inputSize, into: compactInput.storage.pointer)
    let compactOutput = Tensor.uninitialized([kept, outputSize])
    LinearKernels.affine(
        rows: kept, inputSize: inputSize, outputSize: outputSize,
        input: compactInput.storage.pointer, weight: weight.storage.pointer,
        bias: bias?.storage.pointer, output: compactOutput.storage.pointer)
    let result = Tensor.uninitialized(Array(input.shape.dropLast()) + [outputSize])
    selection.scatter(
        compactOutput.storage.pointer, width: outputSize, into: result.storage.pointer)
    var inputs = [input, weight]
    if let bias { inputs.append(bias) }
    return result.recorded("linear (kept rows)", inputs) { gradient in
        let g = gradient.storage.pointer
        var gradients: [Tensor?] = [nil]
        if input.requiresGrad {
            // dX = G·W on the kept rows; the other rows' G is 0, and so is their dX.
            let compactGradient = Tensor.uninitialized([kept, outputSize])
            selection.gather(g, width: outputSize, into: compactGradient.storage.pointer)
            let compactInputGradient = Tensor.uninitialized([kept, inputSize])
            BLAS.gemm(
                transposeA: false, transposeB: false, m: kept, n: inputSize, k: outputSize,
                a: compactGradient.storage.pointer, b: weight.storage.pointer,
                c: compactInputGradient.storage.pointer)
            let inputGradient = Tensor.uninitialized(input.shape)
            selection.scatter(
                compactInputGradient.storage.pointer, width: inputSize,
                into: inputGradient.storage.pointer)
            gradients[0] = inputGradient
        }
        // dW and db over every row, as `linear` sums them.
        return gradients
            + LinearKernels.parameterGradients(g, input: input, weight: weight, bias: bias)
    }
}

/// The kernels of `linear` besides the plain products of its backward.
enum LinearKernels {
    /// The weight gradient dW = Gᵀ·X (`[out, rows]·[rows, in]`) and, with a bias, the bias
    /// gradient Σ_rows G, each nil when its tensor needs none: `linear`'s gradients after the
    /// input's.
    static func parameterGradients(
        _ g: UnsafePointer<Float>, input: Tensor, weight: Tensor, bias: Tensor?
    ) -> [Tensor?] {
        let (outputSize, inputSize) = (weight.shape[0], weight.shape[1])
        let rows = input.count / Swift.max(inputSize, 1)
        var gradients: [Tensor?] = [nil]
        if weight.requiresGrad {
            let weightGradient = Tensor.uninitialized(weight.shape)
            BLAS.gemm(
                transposeA: true, transposeB: false, m: outputSize, n: inputSize, k: rows,
                a: g, b: input.storage.pointer, c: weightGradient.storage.pointer)
            gradients[0] = weightGradient
        }
        if let bias {
            gradients.append(
                bias.requiresGrad ? columnSums(g, rows: rows, columns: outputSize) : nil)
        }
        return gradients
    }

    /// output[rows, out] = input[rows, in]·weight[out, in]ᵀ + bias, split into row blocks
    /// across the worker threads when large (single-threaded BLAS in each, as `BLAS.gemm`);
    /// each block first fills its rows with the bias, then accumulates the product (β = 1).
    static func affine(
        rows: Int, inputSize: Int, outputSize: Int, input: UnsafePointer<Float>,
        weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
        output: UnsafeMutablePointer<Float>
    ) {
        if rows == 0 || outputSize == 0 { return }
        let threads = Swift.min(
            ComputeThreads.count,
            rows * outputSize * inputSize / BLAS.minimumParallelMultiplyAdds, rows / 16)
        let pointers = UncheckedSendable((input, weight, bias, output))
        let block: (Range<Int>) -> Void = { range in
            let (input, weight, bias, output) = pointers.value
            let start = output + range.lowerBound * outputSize
            if let bias {
                for row in 0..<range.count {
                    (start + row * outputSize).update(from: bias, count: outputSize)
                }
            } else {
                start.update(repeating: 0, count: range.count * outputSize)
            }
            if inputSize == 0 { return }
            AttentionPlan.sgemm(
                false, true, range.count, outputSize, inputSize, 1,
                input + range.lowerBound * inputSize, inputSize, weight, inputSize, 1,
                start, outputSize)
        }
        if threads > 1 {
            ComputeThreads.forEachTask(total: threads) { part in
                block((rows * part / threads)..<(rows * (part + 1) / threads))
            }
            return
        }
        // Too few rows to split (one short query): split the output columns instead, so that a
        // single query's large products still use every worker.
        let columnThreads = Swift.min(
            ComputeThreads.count,
            rows * outputSize * inputSize / BLAS.minimumParallelMultiplyAdds, outputSize / 64)
        if columnThreads <= 1 || inputSize == 0 {
            block(0..<rows)
            return
        }
        ComputeThreads.forEachTask(total: columnThreads) { part in
            let (input, weight, bias, output) = pointers.value
            let first = outputSize * part / columnThreads
            let width = outputSize * (part + 1) / columnThreads - first
            for row in 0..<rows {
                let destination = output + row * outputSize + first
                if let bias {
                    destination.update(from: bias + first, count: width)
                } else {
                    destination.update(repeating: 0, count: width)
                }
            }
            // Columns first..<first + width of x·Wᵀ are the products with rows of W.
            AttentionPlan.sgemm(
                false, true, rows, width, inputSize, 1, input, inputSize,
                weight + first * inputSize, inputSize, 1, output + first, outputSize)
        }
    }

    /// Σ over rows of a `[rows, columns]` matrix → `[columns]` (the bias gradient), as the
    /// matrix-vector product Gᵀ·1 through `sgemv` (4× faster than a loop of row additions,
    /// measured). Each thread takes a block of columns over all rows, so no partial sums are
    /// merged and the result does not depend on the thread count.
    static func columnSums(_ matrix: UnsafePointer<Float>, rows: Int, columns: Int) -> Tensor {
        let result = Tensor.zeros([columns])
        if rows == 0 || columns == 0 { return result }
        let ones = [Float](repeating: 1, count: rows)
        let threads = Swift.min(
            ComputeThreads.count, rows * columns / ComputeThreads.minimumUnitsPerThread,
            columns / 64)
        ones.withUnsafeBufferPointer { ones in
            let pointers = UncheckedSendable((matrix, result.storage.pointer, ones.baseAddress!))
            let block: (Range<Int>) -> Void = { range in
                let (matrix, sums, ones) = pointers.value
                cblas_sgemv(
                    CblasRowMajor, CblasTrans, Int32(rows), Int32(range.count), 1,
                    matrix + range.lowerBound, Int32(columns), ones, 1, 0,
                    sums + range.lowerBound, 1)
            }
            if threads <= 1 {
                block(0..<columns)
            } else {
                ComputeThreads.forEachTask(total: threads) { part in
                    block((columns * part / threads)..<(columns * (part + 1) / threads))
                }
            }
        }
        return result
    }
}

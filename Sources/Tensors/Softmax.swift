import Foundation

// Fused softmax and log-softmax over an axis.

extension Tensor {
    /// softmax(x)_i = e^{x_i − max x} / Σ_j e^{x_j − max x} along `axis` (stable for any logits).
    /// Backward: dx = y ⊙ (g − Σ g ⊙ y).
    public func softmax(axis: Int = -1) -> Tensor {
        let axis = Tensor.normalizedAxis(axis, rank: rank, operation: "softmax")
        if axis != rank - 1 {
            return transposed(axis: axis, with: -1).softmax(axis: -1)
                .transposed(axis: axis, with: -1)
        }
        let (result, rows, length) = rowwise(Tensor.softmaxRow(_:_:count:))
        let output = result.savedForBackward
        return result.recorded("softmax", [self]) { gradient in
            let inputGradient = Tensor.uninitialized(output.shape)
            let g = gradient.storage.pointer
            let y = output.storage.pointer
            let dx = inputGradient.storage.pointer
            ComputeThreads.forEachChunk(total: rows, unitsPerElement: length * 3) { range in
                for row in range {
                    let offset = row * length
                    var dot: Float = 0
                    for index in 0..<length { dot += g[offset + index] * y[offset + index] }
                    for index in 0..<length {
                        dx[offset + index] = y[offset + index] * (g[offset + index] - dot)
                    }
                }
            }
            return [inputGradient]
        }
    }

    /// log softmax(x)_i = x_i − max x − log Σ_j e^{x_j − max x} along `axis`.
    /// Backward: dx = g − softmax(x) · Σ g.
    public func logSoftmax(axis: Int = -1) -> Tensor {
        let axis = Tensor.normalizedAxis(axis, rank: rank, operation: "logSoftmax")
        if axis != rank - 1 {
            return transposed(axis: axis, with: -1).logSoftmax(axis: -1)
                .transposed(axis: axis, with: -1)
        }
        let (result, rows, length) = rowwise(Tensor.logSoftmaxRow(_:_:count:))
        let output = result.savedForBackward
        return result.recorded("logSoftmax", [self]) { gradient in
            let inputGradient = Tensor.uninitialized(output.shape)
            let g = gradient.storage.pointer
            let logProbabilities = output.storage.pointer
            let dx = inputGradient.storage.pointer
            for row in 0..<rows {
                let offset = row * length
                let total = Tensor.rowSum(g + offset, count: length)
                for index in 0..<length {
                    dx[offset + index] =
                        g[offset + index] - Foundation.exp(logProbabilities[offset + index]) * total
                }
            }
            return [inputGradient]
        }
    }

    /// Applies a row kernel to every row of the last axis (split across threads when long);
    /// returns the result, the row count and the row length.
    private func rowwise(
        _ kernel: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void
    ) -> (result: Tensor, rows: Int, length: Int) {
        let length = shape[rank - 1]
        let rows = length == 0 ? 0 : count / length
        let result = Tensor.uninitialized(shape)
        let source = storage.pointer
        let out = result.storage.pointer
        ComputeThreads.forEachChunk(total: rows, unitsPerElement: length * 6) { range in
            for row in range { kernel(source + row * length, out + row * length, length) }
        }
        return (result, rows, length)
    }

    /// The largest element of a contiguous run.
    @inline(__always)
    static func rowMax(_ values: UnsafePointer<Float>, count: Int) -> Float {
        var best = -Float.infinity
        var vectorBest = SIMD16<Float>(repeating: -.infinity)
        var index = 0
        while index + 16 <= count {
            let value = UnsafeRawPointer(values + index).loadUnaligned(as: SIMD16<Float>.self)
            vectorBest = vectorBest.replacing(with: value, where: value .> vectorBest)
            index += 16
        }
        best = vectorBest.max()
        while index < count {
            best = Swift.max(best, values[index])
            index += 1
        }
        return best
    }

    /// Softmax of one contiguous row. A row of −∞ (every key masked) gives zeros, not NaN.
    @inline(__always)
    static func softmaxRow(
        _ source: UnsafePointer<Float>, _ destination: UnsafeMutablePointer<Float>, count: Int
    ) {
        let maximum = rowMax(source, count: count)
        if !maximum.isFinite && maximum < 0 {
            destination.update(repeating: 0, count: count)
            return
        }
        VectorMath.apply(source, destination, count: count) { VectorMath.exp($0 - maximum) }
        let total = rowSum(destination, count: count)
        let scale = 1 / total
        for index in 0..<count { destination[index] *= scale }
    }

    /// Log-softmax of one contiguous row.
    @inline(__always)
    static func logSoftmaxRow(
        _ source: UnsafePointer<Float>, _ destination: UnsafeMutablePointer<Float>, count: Int
    ) {
        let maximum = rowMax(source, count: count)
        VectorMath.apply(source, destination, count: count) { VectorMath.exp($0 - maximum) }
        let logTotal = Foundation.log(rowSum(destination, count: count)) + maximum
        for index in 0..<count { destination[index] = source[index] - logTotal }
    }
}

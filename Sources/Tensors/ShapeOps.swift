// Reshape, permute/transpose, slice, concat and stack.

extension Tensor {
    /// Normalises a possibly negative axis against `rank`.
    @inline(__always)
    static func normalizedAxis(_ axis: Int, rank: Int, operation: String) -> Int {
        let normalized = axis < 0 ? axis + rank : axis
        precondition(normalized >= 0 && normalized < rank,
            "\(operation): axis \(axis) out of range for rank \(rank)")
        return normalized
    }

    /// The same elements under a new shape (one axis may be −1, inferred). Shares storage.
    /// Backward: the gradient reshaped back.
    public func reshaped(to newShape: [Int]) -> Tensor {
        var resolved = newShape
        if let inferred = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().filter { $0.offset != inferred }.map(\.element)
                .reduce(1, *)
            precondition(known > 0 && count % known == 0,
                "reshaped: cannot infer -1 in \(newShape) from shape \(shape)")
            resolved[inferred] = count / known
        }
        precondition(resolved.reduce(1, *) == count,
            "reshaped: shape \(shape) (\(count) elements) cannot become \(newShape)")
        let originalShape = shape
        return Tensor(shape: resolved, storage: storage).recorded("reshape", [self]) { gradient in
            [gradient.reshaped(to: originalShape)]
        }
    }

    /// Axes reordered: result axis i is source axis `order[i]` (PyTorch's `permute`). Copies.
    /// Backward: the gradient permuted by the inverse order.
    public func permuted(_ order: [Int]) -> Tensor {
        precondition(order.count == rank && Set(order) == Set(0..<rank),
            "permuted: \(order) is not a permutation of the axes of shape \(shape)")
        if order == Array(0..<rank) { return reshaped(to: shape) }
        let newShape = order.map { shape[$0] }
        let result = Tensor.uninitialized(newShape)
        var sourceStrides = [Int](repeating: 1, count: rank)
        for axis in stride(from: rank - 2, through: 0, by: -1) {
            sourceStrides[axis] = sourceStrides[axis + 1] * shape[axis + 1]
        }
        let strides = order.map { sourceStrides[$0] }
        Tensor.stridedCopy(from: storage.pointer, strides: strides, shape: newShape,
            to: result.storage.pointer)
        var inverse = [Int](repeating: 0, count: rank)
        for (position, axis) in order.enumerated() { inverse[axis] = position }
        return result.recorded("permute", [self]) { gradient in [gradient.permuted(inverse)] }
    }

    /// `permuted` written with the order as arguments: `x.transposed(0, 2, 1, 3)`.
    public func transposed(_ order: Int...) -> Tensor { permuted(order) }

    /// Swaps two axes.
    public func transposed(axis first: Int, with second: Int) -> Tensor {
        var order = Array(0..<rank)
        order.swapAt(
            Tensor.normalizedAxis(first, rank: rank, operation: "transposed"),
            Tensor.normalizedAxis(second, rank: rank, operation: "transposed"))
        return permuted(order)
    }

    /// Copies a strided view (strides in source elements per result axis) into contiguous
    /// memory; the innermost axis is a tight loop.
    static func stridedCopy(
        from source: UnsafePointer<Float>, strides: [Int], shape: [Int],
        to destination: UnsafeMutablePointer<Float>
    ) {
        let total = shape.reduce(1, *)
        if total == 0 { return }
        let rank = shape.count
        let inner = shape[rank - 1]
        let innerStride = strides[rank - 1]
        var counters = [Int](repeating: 0, count: rank)
        var sourceOffset = 0
        var out = destination
        for _ in 0..<(total / inner) {
            let from = source + sourceOffset
            if innerStride == 1 {
                out.update(from: from, count: inner)
            } else {
                for index in 0..<inner { out[index] = from[index * innerStride] }
            }
            out += inner
            var axis = rank - 2
            while axis >= 0 {
                counters[axis] += 1
                sourceOffset += strides[axis]
                if counters[axis] < shape[axis] { break }
                sourceOffset -= strides[axis] * shape[axis]
                counters[axis] = 0
                axis -= 1
            }
        }
    }

    /// The sub-tensor at `range` along `axis`. Copies.
    /// Backward: the gradient placed at `range` in zeros.
    public func slice(axis: Int, range: Range<Int>) -> Tensor {
        let axis = Tensor.normalizedAxis(axis, rank: rank, operation: "slice")
        precondition(range.lowerBound >= 0 && range.upperBound <= shape[axis],
            "slice: range \(range) out of bounds for axis \(axis) of shape \(shape)")
        var newShape = shape
        newShape[axis] = range.count
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        let result = Tensor.uninitialized(newShape)
        let source = storage.pointer
        let out = result.storage.pointer
        let runLength = range.count * inner
        for row in 0..<outer {
            (out + row * runLength).update(
                from: source + (row * shape[axis] + range.lowerBound) * inner, count: runLength)
        }
        let originalShape = shape
        return result.recorded("slice", [self]) { gradient in
            let full = Tensor.zeros(originalShape)
            for row in 0..<outer {
                (full.storage.pointer + (row * originalShape[axis] + range.lowerBound) * inner)
                    .update(from: gradient.storage.pointer + row * runLength, count: runLength)
            }
            return [full]
        }
    }

    /// Joins tensors along an existing axis; all other axes must agree.
    /// Backward: each input gets its slice of the gradient.
    public static func concatenate(_ tensors: [Tensor], axis: Int) -> Tensor {
        precondition(!tensors.isEmpty, "concatenate: no tensors")
        let first = tensors[0]
        let axis = normalizedAxis(axis, rank: first.rank, operation: "concatenate")
        for tensor in tensors {
            precondition(tensor.rank == first.rank
                && (0..<first.rank).allSatisfy { $0 == axis || tensor.shape[$0] == first.shape[$0] },
                "concatenate: shape \(tensor.shape) does not match \(first.shape) off axis \(axis)")
        }
        var newShape = first.shape
        newShape[axis] = tensors.reduce(0) { $0 + $1.shape[axis] }
        let outer = first.shape[..<axis].reduce(1, *)
        let inner = first.shape[(axis + 1)...].reduce(1, *)
        let result = Tensor.uninitialized(newShape)
        let rowLength = newShape[axis] * inner
        var offset = 0
        for tensor in tensors {
            let run = tensor.shape[axis] * inner
            for row in 0..<outer {
                (result.storage.pointer + row * rowLength + offset).update(
                    from: tensor.storage.pointer + row * run, count: run)
            }
            offset += run
        }
        let sizes = tensors.map { $0.shape[axis] }
        return result.recorded("concatenate", tensors) { gradient in
            var start = 0
            return sizes.map { size in
                defer { start += size }
                return gradient.slice(axis: axis, range: start..<(start + size))
            }
        }
    }

    /// Joins same-shape tensors along a new axis.
    public static func stack(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
        precondition(!tensors.isEmpty, "stack: no tensors")
        let shape = tensors[0].shape
        let axis = axis < 0 ? axis + shape.count + 1 : axis
        precondition(axis >= 0 && axis <= shape.count, "stack: axis out of range for \(shape)")
        var expanded = shape
        expanded.insert(1, at: axis)
        return concatenate(tensors.map {
            precondition($0.shape == shape, "stack: shapes \($0.shape) and \(shape) differ")
            return $0.reshaped(to: expanded)
        }, axis: axis)
    }
}

// Sum, mean and max over axes, and broadcasting to a larger shape.

extension Tensor {
    /// Sizes of the axes before, along and after `axis`: the tensor seen as [outer, length, inner].
    func splitShape(at axis: Int) -> (outer: Int, length: Int, inner: Int) {
        (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
    }

    /// The sum over `axes` (all axes when empty), keeping them as size 1 when `keepingDimensions`.
    /// Backward: the gradient broadcast back over the summed axes.
    public func sum(axes: [Int] = [], keepingDimensions: Bool = false) -> Tensor {
        let axes = reductionAxes(axes, operation: "sum")
        var keptShape = shape
        for axis in axes { keptShape[axis] = 1 }
        var result = self
        for axis in axes.sorted(by: >) { result = result.summedRaw(axis: axis) }
        if result === self { result = copied() }
        let finalShape = keepingDimensions ? keptShape : shape.enumerated()
            .filter { !axes.contains($0.offset) }.map(\.element)
        let originalShape = shape
        return Tensor(shape: finalShape, storage: result.storage).recorded("sum", [self]) {
            gradient in
            [gradient.reshaped(to: keptShape).expanded(to: originalShape)]
        }
    }

    /// The sum over one axis.
    public func sum(axis: Int, keepingDimensions: Bool = false) -> Tensor {
        sum(axes: [axis], keepingDimensions: keepingDimensions)
    }

    /// The mean over `axes` (all axes when empty). Backward: as `sum`, divided by the count.
    public func mean(axes: [Int] = [], keepingDimensions: Bool = false) -> Tensor {
        let axes = reductionAxes(axes, operation: "mean")
        let reducedCount = axes.reduce(1) { $0 * shape[$1] }
        return sum(axes: axes, keepingDimensions: keepingDimensions) * (1 / Float(reducedCount))
    }

    /// The mean over one axis.
    public func mean(axis: Int, keepingDimensions: Bool = false) -> Tensor {
        mean(axes: [axis], keepingDimensions: keepingDimensions)
    }

    /// The maximum over one axis. Backward: the gradient goes to the first maximal element.
    public func max(axis: Int, keepingDimensions: Bool = false) -> Tensor {
        let axis = Tensor.normalizedAxis(axis, rank: rank, operation: "max")
        let (outer, length, inner) = splitShape(at: axis)
        precondition(length > 0, "max: axis \(axis) of shape \(shape) is empty")
        var keptShape = shape
        keptShape[axis] = 1
        let result = Tensor.uninitialized(keptShape)
        var winners = [Int32](repeating: 0, count: outer * inner)
        let source = storage.pointer
        let out = result.storage.pointer
        for row in 0..<outer {
            for column in 0..<inner {
                let base = row * length * inner + column
                var best = source[base]
                var bestIndex = 0
                for index in 1..<length where source[base + index * inner] > best {
                    best = source[base + index * inner]
                    bestIndex = index
                }
                out[row * inner + column] = best
                winners[row * inner + column] = Int32(bestIndex)
            }
        }
        var finalShape = shape
        if keepingDimensions { finalShape[axis] = 1 } else { finalShape.remove(at: axis) }
        let originalShape = shape
        return Tensor(shape: finalShape, storage: result.storage).recorded("max", [self]) {
            gradient in
            let full = Tensor.zeros(originalShape)
            for row in 0..<outer {
                for column in 0..<inner {
                    let winner = Int(winners[row * inner + column])
                    full.storage.pointer[row * length * inner + winner * inner + column] =
                        gradient.storage.pointer[row * inner + column]
                }
            }
            return [full]
        }
    }

    /// Broadcasts to a larger shape (NumPy rules). Backward: the gradient summed back.
    public func expanded(to targetShape: [Int]) -> Tensor {
        if targetShape == shape { return reshaped(to: shape) }
        let plan = BroadcastPlan(targetShape, shape, operation: "expanded")
        precondition(plan.resultShape == targetShape,
            "expanded: shape \(shape) does not broadcast to \(targetShape)")
        let result = Tensor.uninitialized(targetShape)
        if result.count > 0 {
            let source = storage.pointer
            let out = result.storage.pointer
            let inner = plan.innerCount
            let sourceStride = plan.rightInnerStride
            plan.forEachRow(in: 0..<plan.outerCount) { offset, _, sourceOffset in
                if sourceStride == 0 {
                    (out + offset).update(repeating: source[sourceOffset], count: inner)
                } else {
                    (out + offset).update(from: source + sourceOffset, count: inner)
                }
            }
        }
        let originalShape = shape
        return result.recorded("expand", [self]) { gradient in
            [gradient.summed(toShape: originalShape)]
        }
    }

    /// Validated, normalised, de-duplicated reduction axes; all axes when `axes` is empty.
    func reductionAxes(_ axes: [Int], operation: String) -> [Int] {
        if axes.isEmpty { return Array(0..<rank) }
        let normalized = axes.map { Tensor.normalizedAxis($0, rank: rank, operation: operation) }
        precondition(Set(normalized).count == normalized.count,
            "\(operation): repeated axis in \(axes)")
        return normalized
    }

    /// Sum over one axis, keeping it as size 1; not recorded.
    private func summedRaw(axis: Int) -> Tensor {
        let (outer, length, inner) = splitShape(at: axis)
        var keptShape = shape
        keptShape[axis] = 1
        let result = Tensor.zeros(keptShape)
        let source = storage.pointer
        let out = result.storage.pointer
        if inner == 1 {
            for row in 0..<outer {
                out[row] = Tensor.rowSum(source + row * length, count: length)
            }
        } else {
            for row in 0..<outer {
                let destination = out + row * inner
                for index in 0..<length {
                    let from = source + (row * length + index) * inner
                    for column in 0..<inner { destination[column] += from[column] }
                }
            }
        }
        return result
    }

    /// The sum of a contiguous run, with vector accumulators (a scalar `Float` loop is not
    /// vectorised, since float addition is not reassociated: 7–9× slower, measured).
    @inline(__always)
    static func rowSum(_ values: UnsafePointer<Float>, count: Int) -> Float {
        var accumulator0 = SIMD8<Float>()
        var accumulator1 = SIMD8<Float>()
        var index = 0
        while index + 16 <= count {
            accumulator0 += UnsafeRawPointer(values + index).loadUnaligned(as: SIMD8<Float>.self)
            accumulator1 += UnsafeRawPointer(values + index + 8).loadUnaligned(
                as: SIMD8<Float>.self)
            index += 16
        }
        var total = (accumulator0 + accumulator1).sum()
        while index < count {
            total += values[index]
            index += 1
        }
        return total
    }
}

// Row lookup (embedding), masked fill and element-wise selection.

extension Tensor {
    /// Rows of this tensor picked by `indices` (an embedding lookup): for a table `[rows, ...]`
    /// the result is `indexShape + [...]`. Backward: the gradient rows scatter-added into a
    /// zero table (a row picked twice gets both gradients).
    public func indexSelect(_ indices: [Int], indexShape: [Int]? = nil) -> Tensor {
        precondition(rank >= 1, "indexSelect: needs a table with at least 1 axis, got \(shape)")
        let indexShape = indexShape ?? [indices.count]
        precondition(indexShape.reduce(1, *) == indices.count,
            "indexSelect: index shape \(indexShape) does not hold \(indices.count) indices")
        let rows = shape[0]
        let rowLength = count / Swift.max(rows, 1)
        for index in indices {
            precondition(index >= 0 && index < rows,
                "indexSelect: index \(index) out of range for table of shape \(shape)")
        }
        let result = Tensor.uninitialized(indexShape + Array(shape.dropFirst()))
        let table = storage.pointer
        let out = result.storage.pointer
        for (position, index) in indices.enumerated() {
            (out + position * rowLength).update(from: table + index * rowLength, count: rowLength)
        }
        let tableShape = shape
        return result.recorded("indexSelect", [self]) { gradient in
            let tableGradient = Tensor.zeros(tableShape)
            let g = gradient.storage.pointer
            let destination = tableGradient.storage.pointer
            for (position, index) in indices.enumerated() {
                let from = g + position * rowLength
                let to = destination + index * rowLength
                for column in 0..<rowLength { to[column] += from[column] }
            }
            return [tableGradient]
        }
    }

    /// This tensor with `value` wherever `mask` (broadcast to this shape) is true.
    /// Backward: the gradient where the mask is false, 0 where it is true.
    public func maskedFill(_ mask: Mask, with value: Float) -> Tensor {
        let plan = BroadcastPlan(shape, mask.shape, operation: "maskedFill")
        precondition(plan.resultShape == shape,
            "maskedFill: mask \(mask.shape) does not broadcast to \(shape)")
        let result = copied()
        let selected = Tensor.expandedMask(mask, to: shape)
        let out = result.storage.pointer
        for index in 0..<count where selected[index] { out[index] = value }
        return result.recorded("maskedFill", [self]) { gradient in
            let inputGradient = gradient.copied()
            let g = inputGradient.storage.pointer
            for index in 0..<selected.count where selected[index] { g[index] = 0 }
            return [inputGradient]
        }
    }

    /// `whenTrue` where `condition` holds and `whenFalse` elsewhere (all three broadcast).
    /// Backward: each branch gets the gradient where it was chosen.
    public static func select(_ condition: Mask, _ whenTrue: Tensor, _ whenFalse: Tensor)
        -> Tensor
    {
        let shape = BroadcastPlan.resultShape(
            BroadcastPlan.resultShape(condition.shape, whenTrue.shape, operation: "where"),
            whenFalse.shape, operation: "where")
        let chosen = expandedMask(condition, to: shape)
        let trueValues = withGradientsDisabled { whenTrue.expanded(to: shape) }
        let falseValues = withGradientsDisabled { whenFalse.expanded(to: shape) }
        let result = Tensor.uninitialized(shape)
        for index in 0..<result.count {
            result.storage.pointer[index] =
                chosen[index] ? trueValues.storage.pointer[index] : falseValues.storage.pointer[index]
        }
        let (trueShape, falseShape) = (whenTrue.shape, whenFalse.shape)
        return result.recorded("where", [whenTrue, whenFalse]) { gradient in
            let toTrue = Tensor.zeros(shape)
            let toFalse = Tensor.zeros(shape)
            for index in 0..<gradient.count {
                if chosen[index] {
                    toTrue.storage.pointer[index] = gradient.storage.pointer[index]
                } else {
                    toFalse.storage.pointer[index] = gradient.storage.pointer[index]
                }
            }
            return [toTrue.summed(toShape: trueShape), toFalse.summed(toShape: falseShape)]
        }
    }

    /// The mask's values broadcast to `shape`.
    static func expandedMask(_ mask: Mask, to shape: [Int]) -> [Bool] {
        if mask.shape == shape { return mask.values }
        let expanded = withGradientsDisabled { mask.asTensor.expanded(to: shape) }
        return expanded.withUnsafeScalars { $0.map { $0 != 0 } }
    }
}

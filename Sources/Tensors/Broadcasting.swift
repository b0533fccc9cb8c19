/// NumPy broadcasting for two operands: the result shape, and a loop plan over it.
///
/// Shapes are aligned at their last axis; an axis of size 1 (or a missing leading axis) repeats
/// to match the other operand. The plan collapses adjacent axes that can be walked as one, so
/// that the innermost loop is as long as possible and each operand's inner stride is 0 or 1.
struct BroadcastPlan {
    /// The broadcast result shape.
    let resultShape: [Int]
    /// Collapsed loop extents, outermost first; the last one is the inner loop.
    let extents: [Int]
    /// Each operand's element stride for each collapsed axis (0 where it repeats).
    let leftStrides: [Int]
    let rightStrides: [Int]

    /// The broadcast shape of `left` and `right`, or a precondition failure naming `operation`.
    static func resultShape(_ left: [Int], _ right: [Int], operation: String) -> [Int] {
        let rank = max(left.count, right.count)
        var shape = [Int](repeating: 1, count: rank)
        for axis in 0..<rank {
            let l = axis < rank - left.count ? 1 : left[axis - (rank - left.count)]
            let r = axis < rank - right.count ? 1 : right[axis - (rank - right.count)]
            precondition(l == r || l == 1 || r == 1,
                "\(operation): shapes \(left) and \(right) do not broadcast (axis \(axis - rank))")
            shape[axis] = l == 1 ? r : l
        }
        return shape
    }

    init(_ left: [Int], _ right: [Int], operation: String) {
        let shape = BroadcastPlan.resultShape(left, right, operation: operation)
        resultShape = shape
        let rank = shape.count
        func paddedStrides(_ operand: [Int]) -> [Int] {
            let padded = [Int](repeating: 1, count: rank - operand.count) + operand
            var strides = [Int](repeating: 0, count: rank)
            var running = 1
            for axis in stride(from: rank - 1, through: 0, by: -1) {
                strides[axis] = padded[axis] == 1 ? 0 : running
                running *= padded[axis]
            }
            return strides
        }
        let left = paddedStrides(left)
        let right = paddedStrides(right)
        // Collapse axis pairs (outer, inner) when both operands walk them as one run.
        var extents: [Int] = []
        var leftStrides: [Int] = []
        var rightStrides: [Int] = []
        for axis in 0..<rank where shape[axis] != 1 {
            if let lastExtent = extents.last,
                leftStrides.last! == left[axis] * shape[axis],
                rightStrides.last! == right[axis] * shape[axis]
            {
                extents[extents.count - 1] = lastExtent * shape[axis]
                leftStrides[leftStrides.count - 1] = left[axis]
                rightStrides[rightStrides.count - 1] = right[axis]
            } else {
                extents.append(shape[axis])
                leftStrides.append(left[axis])
                rightStrides.append(right[axis])
            }
        }
        if extents.isEmpty {
            extents = [1]
            leftStrides = [0]
            rightStrides = [0]
        }
        self.extents = extents
        self.leftStrides = leftStrides
        self.rightStrides = rightStrides
    }

    /// The length of the inner loop and the operands' inner strides.
    var innerCount: Int { extents[extents.count - 1] }
    var leftInnerStride: Int { leftStrides[leftStrides.count - 1] }
    var rightInnerStride: Int { rightStrides[rightStrides.count - 1] }
    /// The number of inner loops.
    var outerCount: Int { extents.dropLast().reduce(1, *) }

    /// Calls `body(resultOffset, leftOffset, rightOffset)` at the start of each inner loop, for
    /// the inner loops `rows` (in row-major order).
    @inline(__always)
    func forEachRow(in rows: Range<Int>, _ body: (Int, Int, Int) -> Void) {
        let outerRank = extents.count - 1
        let inner = innerCount
        if outerRank == 0 {
            if !rows.isEmpty { body(0, 0, 0) }
            return
        }
        // Decompose the first row index into per-axis counters, then step like an odometer.
        var counters = [Int](repeating: 0, count: outerRank)
        var remainder = rows.lowerBound
        var leftOffset = 0
        var rightOffset = 0
        for axis in stride(from: outerRank - 1, through: 0, by: -1) {
            counters[axis] = remainder % extents[axis]
            remainder /= extents[axis]
            leftOffset += counters[axis] * leftStrides[axis]
            rightOffset += counters[axis] * rightStrides[axis]
        }
        for row in rows {
            body(row * inner, leftOffset, rightOffset)
            var axis = outerRank - 1
            while axis >= 0 {
                counters[axis] += 1
                leftOffset += leftStrides[axis]
                rightOffset += rightStrides[axis]
                if counters[axis] < extents[axis] { break }
                leftOffset -= leftStrides[axis] * extents[axis]
                rightOffset -= rightStrides[axis] * extents[axis]
                counters[axis] = 0
                axis -= 1
            }
        }
    }
}

extension Tensor {
    /// Sums this tensor (a gradient of broadcast shape) down to `targetShape`, the shape of the
    /// operand that was broadcast: the backward of broadcasting.
    func summed(toShape targetShape: [Int]) -> Tensor {
        if targetShape == shape { return self }
        let result = Tensor.zeros(targetShape)
        if count == 0 { return result }
        // Walk this tensor as the "left" operand with the target as the broadcast "right" one.
        let plan = BroadcastPlan(shape, targetShape, operation: "sum to shape")
        precondition(plan.resultShape == shape,
            "sum to shape: \(targetShape) does not broadcast to \(shape)")
        let source = storage.pointer
        let destination = result.storage.pointer
        let inner = plan.innerCount
        let rightStride = plan.rightInnerStride
        plan.forEachRow(in: 0..<plan.outerCount) { offset, _, rightOffset in
            if rightStride == 0 {
                var total: Float = 0
                for index in 0..<inner { total += source[offset + index] }
                destination[rightOffset] += total
            } else {
                for index in 0..<inner { destination[rightOffset + index] += source[offset + index] }
            }
        }
        return result
    }
}

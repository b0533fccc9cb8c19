// Element-wise arithmetic with NumPy broadcasting: add, sub, mul, div, neg, and scalar forms.

extension Tensor {
    /// Applies `operation` element by element to two broadcast operands.
    @inline(__always)
    static func broadcasting(
        _ left: Tensor, _ right: Tensor, _ name: String, unitsPerElement: Int = 1,
        _ operation: (Float, Float) -> Float
    ) -> Tensor {
        let l = left.storage.pointer
        let r = right.storage.pointer
        if left.shape == right.shape {
            let result = Tensor.uninitialized(left.shape)
            let out = result.storage.pointer
            ComputeThreads.forEachChunk(total: result.count, unitsPerElement: unitsPerElement) {
                range in
                for index in range { out[index] = operation(l[index], r[index]) }
            }
            return result
        }
        let plan = BroadcastPlan(left.shape, right.shape, operation: name)
        let result = Tensor.uninitialized(plan.resultShape)
        if result.count == 0 { return result }
        let out = result.storage.pointer
        let inner = plan.innerCount
        let leftStride = plan.leftInnerStride
        let rightStride = plan.rightInnerStride
        ComputeThreads.forEachChunk(
            total: plan.outerCount, unitsPerElement: inner * unitsPerElement
        ) { rows in
            plan.forEachRow(in: rows) { offset, leftOffset, rightOffset in
                let o = out + offset
                let a = l + leftOffset
                let b = r + rightOffset
                switch (leftStride, rightStride) {
                case (1, 1): for i in 0..<inner { o[i] = operation(a[i], b[i]) }
                case (1, 0):
                    let bValue = b[0]
                    for i in 0..<inner { o[i] = operation(a[i], bValue) }
                case (0, 1):
                    let aValue = a[0]
                    for i in 0..<inner { o[i] = operation(aValue, b[i]) }
                default:
                    for i in 0..<inner { o[i] = operation(a[i * leftStride], b[i * rightStride]) }
                }
            }
        }
        return result
    }

    /// Applies `operation` to every element.
    @inline(__always)
    func mapped(unitsPerElement: Int = 1, _ operation: (Float) -> Float) -> Tensor {
        let result = Tensor.uninitialized(shape)
        let source = storage.pointer
        let out = result.storage.pointer
        ComputeThreads.forEachChunk(total: count, unitsPerElement: unitsPerElement) { range in
            for index in range { out[index] = operation(source[index]) }
        }
        return result
    }

    /// Element-wise sum with broadcasting. Backward: the gradient, summed over broadcast axes.
    public static func + (left: Tensor, right: Tensor) -> Tensor {
        let (leftShape, rightShape) = (left.shape, right.shape)
        return broadcasting(left, right, "add", +).recorded("add", [left, right]) { gradient in
            [gradient.summed(toShape: leftShape), gradient.summed(toShape: rightShape)]
        }
    }

    /// Element-wise difference with broadcasting. Backward: g and -g, summed to each shape.
    public static func - (left: Tensor, right: Tensor) -> Tensor {
        let (leftShape, rightShape) = (left.shape, right.shape)
        return broadcasting(left, right, "sub", -).recorded("sub", [left, right]) { gradient in
            [
                gradient.summed(toShape: leftShape),
                right.requiresGrad ? (-gradient).summed(toShape: rightShape) : nil,
            ]
        }
    }

    /// Element-wise product with broadcasting. Backward: d(ab) = b·da + a·db.
    public static func * (left: Tensor, right: Tensor) -> Tensor {
        broadcasting(left, right, "mul", *).recorded("mul", [left, right]) { gradient in
            [
                left.requiresGrad ? (gradient * right).summed(toShape: left.shape) : nil,
                right.requiresGrad ? (gradient * left).summed(toShape: right.shape) : nil,
            ]
        }
    }

    /// Element-wise quotient with broadcasting. Backward: d(a/b) = da/b − a·db/b².
    public static func / (left: Tensor, right: Tensor) -> Tensor {
        broadcasting(left, right, "div", /).recorded("div", [left, right]) { gradient in
            let leftGradient = gradient / right
            return [
                left.requiresGrad ? leftGradient.summed(toShape: left.shape) : nil,
                right.requiresGrad
                    ? (-(leftGradient * left / right)).summed(toShape: right.shape) : nil,
            ]
        }
    }

    /// Negation. Backward: −g.
    public static prefix func - (operand: Tensor) -> Tensor {
        operand.mapped { -$0 }.recorded("neg", [operand]) { gradient in [-gradient] }
    }

    /// Adds a scalar to every element. Backward: g.
    public static func + (left: Tensor, right: Float) -> Tensor {
        left.mapped { $0 + right }.recorded("add scalar", [left]) { gradient in [gradient] }
    }

    /// Adds a scalar to every element. Backward: g.
    public static func + (left: Float, right: Tensor) -> Tensor { right + left }

    /// Subtracts a scalar from every element. Backward: g.
    public static func - (left: Tensor, right: Float) -> Tensor { left + (-right) }

    /// Subtracts every element from a scalar. Backward: −g.
    public static func - (left: Float, right: Tensor) -> Tensor {
        right.mapped { left - $0 }.recorded("rsub scalar", [right]) { gradient in [-gradient] }
    }

    /// Multiplies every element by a scalar. Backward: s·g.
    public static func * (left: Tensor, right: Float) -> Tensor {
        left.mapped { $0 * right }.recorded("mul scalar", [left]) { gradient in
            [gradient * right]
        }
    }

    /// Multiplies every element by a scalar. Backward: s·g.
    public static func * (left: Float, right: Tensor) -> Tensor { right * left }

    /// Divides every element by a scalar. Backward: g / s.
    public static func / (left: Tensor, right: Float) -> Tensor { left * (1 / right) }

    /// Divides a scalar by every element. Backward: −s·g / x².
    public static func / (left: Float, right: Tensor) -> Tensor {
        right.mapped { left / $0 }.recorded("rdiv scalar", [right]) { gradient in
            [Tensor.broadcasting(gradient, right, "rdiv scalar backward") { g, x in
                -left * g / (x * x)
            }]
        }
    }
}

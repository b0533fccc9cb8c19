import Foundation

// Element-wise functions, each with its backward under its forward.

extension Tensor {
    /// Applies a SIMD function to every element, split across threads when long enough.
    @inline(__always)
    func vectorMapped(
        unitsPerElement: Int, _ function: (VectorMath.Vector) -> VectorMath.Vector
    ) -> Tensor {
        let result = Tensor.uninitialized(shape)
        let source = storage.pointer
        let out = result.storage.pointer
        ComputeThreads.forEachChunk(total: count, unitsPerElement: unitsPerElement) { range in
            VectorMath.apply(source + range.lowerBound, out + range.lowerBound,
                count: range.count, function)
        }
        return result
    }

    /// Combines two same-shape tensors with a SIMD function (backward kernels).
    @inline(__always)
    static func vectorZipped(
        _ first: Tensor, _ second: Tensor, unitsPerElement: Int,
        _ function: (VectorMath.Vector, VectorMath.Vector) -> VectorMath.Vector
    ) -> Tensor {
        precondition(first.shape == second.shape,
            "element-wise backward: shapes \(first.shape) and \(second.shape) differ")
        let result = Tensor.uninitialized(first.shape)
        let a = first.storage.pointer
        let b = second.storage.pointer
        let out = result.storage.pointer
        ComputeThreads.forEachChunk(total: first.count, unitsPerElement: unitsPerElement) {
            range in
            VectorMath.apply(a + range.lowerBound, b + range.lowerBound, out + range.lowerBound,
                count: range.count, function)
        }
        return result
    }

    /// A tape-free alias of an op's output, for pullbacks that need it (never the output itself,
    /// which would make a reference cycle through its own tape node).
    var savedForBackward: Tensor { Tensor(shape: shape, storage: storage) }

    /// e^x. Backward: g·e^x.
    public func exp() -> Tensor {
        let result = vectorMapped(unitsPerElement: 4, VectorMath.exp)
        let output = result.savedForBackward
        return result.recorded("exp", [self]) { gradient in [gradient * output] }
    }

    /// The natural logarithm. Backward: g / x.
    public func log() -> Tensor {
        mapped(unitsPerElement: 20) { Foundation.log($0) }.recorded("log", [self]) { gradient in
            [gradient / self]
        }
    }

    /// The square root. Backward: g / (2√x).
    public func sqrt() -> Tensor {
        let result = mapped(unitsPerElement: 2) { $0.squareRoot() }
        let output = result.savedForBackward
        return result.recorded("sqrt", [self]) { gradient in
            [Tensor.broadcasting(gradient, output, "sqrt backward") { g, y in g / (2 * y) }]
        }
    }

    /// 1/√x. Backward: −g·x^{−3/2}/2 = −g·y³/2.
    public func rsqrt() -> Tensor {
        let result = mapped(unitsPerElement: 2) { 1 / $0.squareRoot() }
        let output = result.savedForBackward
        return result.recorded("rsqrt", [self]) { gradient in
            [Tensor.broadcasting(gradient, output, "rsqrt backward") { g, y in -0.5 * g * y * y * y }]
        }
    }

    /// x^p for a constant exponent. Backward: g·p·x^{p−1}.
    public func pow(_ exponent: Float) -> Tensor {
        mapped(unitsPerElement: 20) { Foundation.pow($0, exponent) }.recorded("pow", [self]) {
            gradient in
            [Tensor.broadcasting(gradient, self, "pow backward") { g, x in
                g * exponent * Foundation.pow(x, exponent - 1)
            }]
        }
    }

    /// The hyperbolic tangent. Backward: g·(1 − y²).
    public func tanh() -> Tensor {
        let result = vectorMapped(unitsPerElement: 5, VectorMath.tanh)
        let output = result.savedForBackward
        return result.recorded("tanh", [self]) { gradient in
            [Tensor.vectorZipped(gradient, output, unitsPerElement: 1) { g, y in g * (1 - y * y) }]
        }
    }

    /// The logistic sigmoid 1/(1 + e^{−x}). Backward: g·y·(1 − y).
    public func sigmoid() -> Tensor {
        let result = vectorMapped(unitsPerElement: 5, VectorMath.sigmoid)
        let output = result.savedForBackward
        return result.recorded("sigmoid", [self]) { gradient in
            [Tensor.vectorZipped(gradient, output, unitsPerElement: 1) { g, y in g * y * (1 - y) }]
        }
    }

    /// max(x, 0). Backward: g where x > 0, else 0.
    public func relu() -> Tensor {
        mapped { Swift.max($0, 0) }.recorded("relu", [self]) { gradient in
            [Tensor.broadcasting(gradient, self, "relu backward") { g, x in x > 0 ? g : 0 }]
        }
    }

    /// GELU, exact form x·Φ(x) = x·(1 + erf(x/√2))/2, as BERT uses.
    /// Backward: g·(Φ(x) + x·φ(x)), φ(x) = e^{−x²/2}/√(2π).
    public func gelu() -> Tensor {
        let result = Tensor.uninitialized(shape)
        GELUKernels.forward(storage.pointer, result.storage.pointer, count: count)
        return result.recorded("gelu", [self]) { gradient in
            let inputGradient = Tensor.uninitialized(self.shape)
            GELUKernels.backward(gradient: gradient.storage.pointer, input: self.storage.pointer,
                inputGradient.storage.pointer, count: self.count)
            return [inputGradient]
        }
    }

    /// GELU, tanh approximation x·(1 + tanh(u))/2 with u = √(2/π)·(x + 0.044715·x³).
    /// Backward: g·[(1 + t)/2 + x·(1 − t²)·√(2/π)·(1 + 3·0.044715·x²)/2], t = tanh(u).
    public func geluTanh() -> Tensor {
        let result = vectorMapped(unitsPerElement: 6) { x in
            let inner: VectorMath.Vector = 0.797_884_56 * (x + 0.044_715 * x * x * x)
            return 0.5 * x * (1 + VectorMath.tanh(inner))
        }
        return result.recorded("gelu tanh", [self]) { gradient in
            [Tensor.vectorZipped(gradient, self, unitsPerElement: 7) { g, x in
                let xSquared: VectorMath.Vector = x * x
                let inner: VectorMath.Vector = 0.797_884_56 * (x + 0.044_715 * xSquared * x)
                let t = VectorMath.tanh(inner)
                let slope: VectorMath.Vector = 0.797_884_56 * (1 + 0.134_145 * xSquared)
                let derivative: VectorMath.Vector = 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * slope
                return g * derivative
            }]
        }
    }

    /// Limits every element to [minimum, maximum]. Backward: g where minimum ≤ x ≤ maximum, as
    /// PyTorch's `clamp`.
    public func clamped(min minimum: Float = -.infinity, max maximum: Float = .infinity) -> Tensor
    {
        precondition(minimum <= maximum, "clamped: min \(minimum) > max \(maximum)")
        return mapped { Swift.min(Swift.max($0, minimum), maximum) }.recorded("clamp", [self]) {
            gradient in
            [Tensor.broadcasting(gradient, self, "clamp backward") { g, x in
                x >= minimum && x <= maximum ? g : 0
            }]
        }
    }
}

/// One recorded op on the tape: its inputs and the pullback from the output's gradient to theirs.
///
/// The pullback captures what the forward saved (inputs, or the output's storage, never the
/// output tensor itself), so tape nodes form a DAG without cycles.
final class GradientNode {
    let operation: StaticString
    let inputs: [Tensor]
    /// Maps the gradient of the output to one gradient per input (nil where an input needs none).
    let pullback: (Tensor) -> [Tensor?]

    init(operation: StaticString, inputs: [Tensor], pullback: @escaping (Tensor) -> [Tensor?]) {
        self.operation = operation
        self.inputs = inputs
        self.pullback = pullback
    }
}

/// Whether ops record themselves on the tape. Task-local, so a no-grad scope in one test or
/// worker does not switch recording off in another.
enum GradientMode {
    @TaskLocal static var isEnabled = true
}

/// Runs `body` with recording switched off: ops inside build no tape and keep nothing alive for a
/// backward pass (inference, evaluation, optimizer updates).
public func withGradientsDisabled<Result>(_ body: () throws -> Result) rethrows -> Result {
    try GradientMode.$isEnabled.withValue(false) { try body() }
}

/// True when ops currently record themselves on the tape.
public var isGradientRecordingEnabled: Bool { GradientMode.isEnabled }

extension Tensor {
    /// True when an op with these inputs should be recorded.
    @inline(__always)
    static func needsGradient(_ inputs: Tensor...) -> Bool {
        guard GradientMode.isEnabled else { return false }
        for input in inputs where input.requiresGrad { return true }
        return false
    }

    /// Attaches a tape node to `self` (an op's freshly made output) when any input needs a
    /// gradient; returns `self` for chaining.
    @inline(__always)
    func recorded(
        _ operation: StaticString, _ inputs: [Tensor], pullback: @escaping (Tensor) -> [Tensor?]
    ) -> Tensor {
        guard GradientMode.isEnabled, inputs.contains(where: { $0.requiresGrad }) else {
            return self
        }
        requiresGrad = true
        gradientNode = GradientNode(operation: operation, inputs: inputs, pullback: pullback)
        return self
    }

    /// True for a tensor that requires a gradient and was not made by a recorded op.
    public var isLeaf: Bool { gradientNode == nil }

    /// Backpropagates from this tensor: a scalar, or any shape with an explicit `seed` gradient of
    /// the same shape. Gradients accumulate into `grad` of the leaves that require them; the tape
    /// below this tensor is released afterwards (as PyTorch does without `retain_graph`).
    public func backward(seed: Tensor? = nil) {
        precondition(requiresGrad, "backward: the tensor does not require a gradient")
        let seedGradient: Tensor
        if let seed {
            precondition(seed.shape == shape,
                "backward: seed shape \(seed.shape) vs tensor shape \(shape)")
            seedGradient = seed
        } else {
            precondition(count == 1, "backward: needs a seed for a non-scalar of shape \(shape)")
            seedGradient = Tensor(shape: shape, repeating: 1)
        }

        let order = topologicalOrder()
        var gradients: [ObjectIdentifier: Tensor] = [ObjectIdentifier(self): seedGradient]
        withGradientsDisabled {
            for tensor in order.reversed() {
                guard let gradient = gradients.removeValue(forKey: ObjectIdentifier(tensor))
                else { continue }
                guard let node = tensor.gradientNode else {
                    tensor.accumulateGradient(gradient)
                    continue
                }
                let inputGradients = node.pullback(gradient)
                for (input, inputGradient) in zip(node.inputs, inputGradients) {
                    guard input.requiresGrad, let inputGradient else { continue }
                    precondition(inputGradient.shape == input.shape,
                        "backward(\(node.operation)): gradient shape \(inputGradient.shape) vs input shape \(input.shape)")
                    let key = ObjectIdentifier(input)
                    if let existing = gradients[key] {
                        gradients[key] = existing + inputGradient
                    } else {
                        gradients[key] = inputGradient
                    }
                }
                tensor.gradientNode = nil
                tensor.requiresGrad = false
            }
        }
    }

    /// Adds to `grad` without ever writing into a tensor another gradient may share.
    func accumulateGradient(_ gradient: Tensor) {
        if let existing = grad {
            grad = withGradientsDisabled { existing + gradient }
        } else {
            grad = gradient.storage === storage ? gradient.copied() : gradient
        }
    }

    /// Clears the accumulated gradient.
    public func zeroGradient() { grad = nil }

    /// Every tensor reachable from this one through tape nodes, inputs before their users.
    /// Iterative, so very deep tapes (long training unrolls) cannot overflow the stack.
    func topologicalOrder() -> [Tensor] {
        var order: [Tensor] = []
        var visited: Set<ObjectIdentifier> = []
        var stack: [(tensor: Tensor, nextInput: Int)] = [(self, 0)]
        visited.insert(ObjectIdentifier(self))
        while !stack.isEmpty {
            let top = stack.count - 1
            let tensor = stack[top].tensor
            let inputs = tensor.gradientNode?.inputs ?? []
            if stack[top].nextInput < inputs.count {
                let input = inputs[stack[top].nextInput]
                stack[top].nextInput += 1
                if input.requiresGrad, visited.insert(ObjectIdentifier(input)).inserted {
                    stack.append((input, 0))
                }
            } else {
                order.append(tensor)
                stack.removeLast()
            }
        }
        return order
    }
}

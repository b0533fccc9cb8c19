import Tensors

/// Stochastic gradient descent with momentum, PyTorch semantics (`torch.optim.SGD`, no
/// dampening, no Nesterov): with learning rate η, momentum μ and weight decay λ,
///
///     d ← g + λ·p                  (coupled L2 decay, as PyTorch's SGD)
///     b ← μ·b + d                  (b starts at 0, so the first step has b = d, as PyTorch)
///     p ← p − η·b
///
/// With μ = 0 it is plain SGD. State name: `momentum_buffer`.
public final class SGD: Optimizer {
    /// "SGD", saved in checkpoints.
    public let kind = "SGD"
    /// The parameter groups, each with its learning rate and weight decay.
    public let groups: [ParameterGroup]
    /// The number of steps taken (t in the formulas).
    public private(set) var stepCount = 0
    /// The multiplier on every group's learning rate, by step.
    public let schedule: LearningRateSchedule
    /// μ.
    public let momentum: Float
    private var buffers: [String: Tensor] = [:]

    /// An optimiser over `groups` (each parameter in one group).
    public init(
        groups: [ParameterGroup], momentum: Float = 0, schedule: LearningRateSchedule = .constant
    ) {
        checkDistinct(groups, optimizer: "SGD")
        precondition(momentum >= 0, "SGD: momentum must be ≥ 0, got \(momentum)")
        self.groups = groups
        self.momentum = momentum
        self.schedule = schedule
        for group in groups {
            for entry in group.entries { buffers[entry.path] = Tensor.zeros(entry.tensor.shape) }
        }
    }

    /// Applies one update to every trainable parameter of the groups that has a gradient.
    public func step() {
        stepCount += 1
        let multiplier = schedule.multiplier(step: stepCount)
        for group in groups {
            let learningRate = group.learningRate * multiplier
            let weightDecay = group.weightDecay
            for (entry, gradient) in updatableEntries(of: group) {
                guard let buffer = buffers[entry.path] else { continue }
                entry.tensor.withUnsafeMutableScalars { p in
                    gradient.withUnsafeScalars { g in
                        buffer.withUnsafeMutableScalars { b in
                            for index in 0..<p.count {
                                let direction = g[index] + weightDecay * p[index]
                                b[index] = momentum * b[index] + direction
                                p[index] -= learningRate * b[index]
                            }
                        }
                    }
                }
            }
        }
    }

    /// The moments (AdamW) or momentum buffers (SGD), keyed `"<state>/<path>"`.
    public func stateTensors() -> [String: Tensor] {
        var state: [String: Tensor] = [:]
        for (path, tensor) in buffers { state["momentum_buffer/" + path] = tensor }
        return state
    }

    /// Sets the step count and copies saved state in place (keys as `stateTensors()`).
    public func restoreState(stepCount: Int, tensors: [String: Tensor]) {
        self.stepCount = stepCount
        for (path, tensor) in buffers {
            if let saved = tensors["momentum_buffer/" + path] { tensor.assign(saved) }
        }
    }
}

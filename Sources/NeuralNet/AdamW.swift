import Foundation
import Tensors

/// AdamW with PyTorch's semantics (`torch.optim.AdamW`, Loshchilov & Hutter): decoupled weight
/// decay, bias-corrected moments, ε added outside the square root.
///
/// For a parameter p with gradient g at step t (1-based), learning rate η (group rate ×
/// schedule) and weight decay λ:
///
///     p ← p · (1 − η·λ)                                  decoupled decay, before the update
///     m ← m + (g − m)·(1 − β₁)                           = β₁·m + (1 − β₁)·g
///     v ← β₂·v + (1 − β₂)·g²
///     p ← p − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
///
/// The moments start at zero. State names: `exp_avg`, `exp_avg_sq` (as PyTorch's state dict).
public final class AdamW: Optimizer {
    /// β₁, β₂ and ε.
    public struct Configuration: Sendable, Codable, Equatable {
        /// The first-moment decay.
        public var beta1: Float
        /// The second-moment decay.
        public var beta2: Float
        /// Added to the denominator, outside the square root.
        public var epsilon: Float

        /// PyTorch's defaults: β = (0.9, 0.999), ε = 1e-8.
        public init(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8) {
            self.beta1 = beta1
            self.beta2 = beta2
            self.epsilon = epsilon
        }
    }

    /// "AdamW", saved in checkpoints.
    public let kind = "AdamW"
    /// The parameter groups, each with its learning rate and weight decay.
    public let groups: [ParameterGroup]
    /// The number of steps taken (t in the formulas).
    public private(set) var stepCount = 0
    /// The multiplier on every group's learning rate, by step.
    public let schedule: LearningRateSchedule
    /// The hyper-parameters.
    public let configuration: Configuration
    private var firstMoments: [String: Tensor] = [:]
    private var secondMoments: [String: Tensor] = [:]

    /// An optimiser over `groups` (each parameter in one group), with zero moments.
    public init(
        groups: [ParameterGroup], configuration: Configuration = Configuration(),
        schedule: LearningRateSchedule = .constant
    ) {
        checkDistinct(groups, optimizer: "AdamW")
        self.groups = groups
        self.configuration = configuration
        self.schedule = schedule
        for group in groups {
            for entry in group.entries {
                firstMoments[entry.path] = Tensor.zeros(entry.tensor.shape)
                secondMoments[entry.path] = Tensor.zeros(entry.tensor.shape)
            }
        }
    }

    /// Applies one update to every trainable parameter of the groups that has a gradient.
    public func step() {
        stepCount += 1
        let multiplier = schedule.multiplier(step: stepCount)
        let (beta1, beta2, epsilon) =
            (configuration.beta1, configuration.beta2, configuration.epsilon)
        // Bias corrections in Double, as PyTorch computes them on Python floats.
        let correction1 = 1 - Foundation.pow(Double(beta1), Double(stepCount))
        let correction2Root = (1 - Foundation.pow(Double(beta2), Double(stepCount))).squareRoot()
        for group in groups {
            let learningRate = group.learningRate * multiplier
            let decay = 1 - learningRate * group.weightDecay
            let stepSize = Float(Double(learningRate) / correction1)
            let rootCorrection = Float(correction2Root)
            for (entry, gradient) in updatableEntries(of: group) {
                guard let first = firstMoments[entry.path], let second = secondMoments[entry.path]
                else { continue }
                entry.tensor.withUnsafeMutableScalars { p in
                    gradient.withUnsafeScalars { g in
                        first.withUnsafeMutableScalars { m in
                            second.withUnsafeMutableScalars { v in
                                for index in 0..<p.count {
                                    let gradientValue = g[index]
                                    p[index] *= decay
                                    m[index] += (gradientValue - m[index]) * (1 - beta1)
                                    v[index] =
                                        v[index] * beta2
                                        + (1 - beta2) * gradientValue * gradientValue
                                    let denominator =
                                        v[index].squareRoot() / rootCorrection
                                        + epsilon
                                    p[index] -= stepSize * m[index] / denominator
                                }
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
        for (path, tensor) in firstMoments { state["exp_avg/" + path] = tensor }
        for (path, tensor) in secondMoments { state["exp_avg_sq/" + path] = tensor }
        return state
    }

    /// Sets the step count and copies saved state in place (keys as `stateTensors()`).
    public func restoreState(stepCount: Int, tensors: [String: Tensor]) {
        self.stepCount = stepCount
        for (path, tensor) in firstMoments {
            if let saved = tensors["exp_avg/" + path] { tensor.assign(saved) }
        }
        for (path, tensor) in secondMoments {
            if let saved = tensors["exp_avg_sq/" + path] { tensor.assign(saved) }
        }
    }
}

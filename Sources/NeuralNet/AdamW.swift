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
                let step = Update(
                    decay: decay, beta1: beta1, beta2: beta2, stepSize: stepSize,
                    rootCorrection: rootCorrection, epsilon: epsilon)
                entry.tensor.withUnsafeMutableScalars { p in
                    gradient.withUnsafeScalars { g in
                        first.withUnsafeMutableScalars { m in
                            second.withUnsafeMutableScalars { v in
                                step.apply(
                                    parameters: p, gradients: g, firstMoments: m,
                                    secondMoments: v)
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

extension AdamW {
    /// One step's update of a parameter tensor and its moments, element by element as the
    /// formulas in `AdamW`'s documentation (the operations and their order are the same in the
    /// 16-lane loop and the scalar tail, so every element gets the same bits either way and
    /// whatever chunk or thread it falls in).
    struct Update {
        let decay: Float
        let beta1: Float
        let beta2: Float
        let stepSize: Float
        let rootCorrection: Float
        let epsilon: Float

        /// A parameter element costs about this many element-wise units (`ComputeThreads`).
        static let unitsPerElement = 8

        /// Updates the parameters and their moments in place (four buffers of one length),
        /// split across the worker threads when long.
        func apply(
            parameters: UnsafeMutableBufferPointer<Float>, gradients: UnsafeBufferPointer<Float>,
            firstMoments: UnsafeMutableBufferPointer<Float>,
            secondMoments: UnsafeMutableBufferPointer<Float>
        ) {
            let count = parameters.count
            precondition(
                gradients.count == count && firstMoments.count == count
                    && secondMoments.count == count,
                "AdamW: a parameter, its gradient and its moments differ in length")
            guard let p = parameters.baseAddress, let g = gradients.baseAddress,
                let m = firstMoments.baseAddress, let v = secondMoments.baseAddress
            else { return }
            let pointers = UncheckedSendable((p, g, m, v))
            ComputeThreads.forEachChunk(total: count, unitsPerElement: Self.unitsPerElement) {
                range in
                let (p, g, m, v) = pointers.value
                update(p, g, m, v, range)
            }
        }

        @inline(__always)
        private func update(
            _ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>,
            _ m: UnsafeMutablePointer<Float>, _ v: UnsafeMutablePointer<Float>, _ range: Range<Int>
        ) {
            typealias Vector = SIMD16<Float>
            let (oneMinusBeta1, oneMinusBeta2) = (1 - beta1, 1 - beta2)
            var index = range.lowerBound
            while index + Vector.scalarCount <= range.upperBound {
                let gradient = UnsafeRawPointer(g + index).loadUnaligned(as: Vector.self)
                var parameter = UnsafeRawPointer(p + index).loadUnaligned(as: Vector.self)
                var first = UnsafeRawPointer(m + index).loadUnaligned(as: Vector.self)
                var second = UnsafeRawPointer(v + index).loadUnaligned(as: Vector.self)
                parameter *= decay
                first += (gradient - first) * oneMinusBeta1
                second = second * beta2 + oneMinusBeta2 * gradient * gradient
                let denominator = second.squareRoot() / rootCorrection + epsilon
                parameter -= stepSize * first / denominator
                UnsafeMutableRawPointer(p + index).storeBytes(of: parameter, as: Vector.self)
                UnsafeMutableRawPointer(m + index).storeBytes(of: first, as: Vector.self)
                UnsafeMutableRawPointer(v + index).storeBytes(of: second, as: Vector.self)
                index += Vector.scalarCount
            }
            while index < range.upperBound {
                let gradient = g[index]
                p[index] *= decay
                m[index] += (gradient - m[index]) * oneMinusBeta1
                v[index] = v[index] * beta2 + oneMinusBeta2 * gradient * gradient
                let denominator = v[index].squareRoot() / rootCorrection + epsilon
                p[index] -= stepSize * m[index] / denominator
                index += 1
            }
        }
    }
}

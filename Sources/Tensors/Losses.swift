import Foundation

/// How a loss combines its per-element values.
public enum LossReduction: Sendable {
    /// The mean over the counted elements.
    case mean
    /// The sum.
    case sum
    /// No reduction: one loss per element.
    case none
}

extension Tensor {
    /// Cross-entropy of `logits` (`[..., classes]`) against class indices (one per row), fused
    /// with log-softmax: loss_i = −log softmax(x_i)[t_i]. Rows whose target is `ignoreIndex`
    /// contribute nothing, and `.mean` divides by the rows that count (PyTorch semantics).
    /// Backward: (softmax(x_i) − onehot(t_i)) · g_i.
    public func crossEntropy(
        targets: [Int], ignoreIndex: Int = -100, reduction: LossReduction = .mean
    ) -> Tensor {
        precondition(rank >= 1, "crossEntropy: logits need a class axis, got \(shape)")
        let classes = shape[rank - 1]
        let rows = classes == 0 ? 0 : count / classes
        precondition(targets.count == rows,
            "crossEntropy: \(targets.count) targets for logits of shape \(shape) (\(rows) rows)")
        for target in targets where target != ignoreIndex {
            precondition(target >= 0 && target < classes,
                "crossEntropy: target \(target) out of range for \(classes) classes")
        }
        let logProbabilities = Tensor.uninitialized([rows, classes])
        let source = storage.pointer
        let logP = logProbabilities.storage.pointer
        for row in 0..<rows {
            Tensor.logSoftmaxRow(source + row * classes, logP + row * classes, count: classes)
        }
        let counted = targets.filter { $0 != ignoreIndex }.count
        var losses = [Float](repeating: 0, count: rows)
        for row in 0..<rows where targets[row] != ignoreIndex {
            losses[row] = -logP[row * classes + targets[row]]
        }
        let result: Tensor
        switch reduction {
        case .none: result = Tensor(shape: Array(shape.dropLast()), scalars: losses)
        case .sum: result = Tensor(losses.reduce(0, +))
        case .mean: result = Tensor(counted == 0 ? .nan : losses.reduce(0, +) / Float(counted))
        }
        let logitsShape = shape
        return result.recorded("crossEntropy", [self]) { gradient in
            let inputGradient = Tensor.zeros(logitsShape)
            let dx = inputGradient.storage.pointer
            let logP = logProbabilities.storage.pointer
            for row in 0..<rows where targets[row] != ignoreIndex {
                let scale: Float
                switch reduction {
                case .none: scale = gradient.storage.pointer[row]
                case .sum: scale = gradient.item
                case .mean: scale = gradient.item / Float(counted)
                }
                for column in 0..<classes {
                    dx[row * classes + column] = Foundation.exp(logP[row * classes + column]) * scale
                }
                dx[row * classes + targets[row]] -= scale
            }
            return [inputGradient]
        }
    }

    /// Binary cross-entropy on logits, in the stable form
    /// ℓ = max(x, 0) − x·t + log(1 + e^{−|x|}), optionally weighted per element (`weight`
    /// broadcasts to the logits; `.mean` divides by the element count, as PyTorch).
    /// Backward: (σ(x) − t) · weight · g.
    public func binaryCrossEntropyWithLogits(
        targets: Tensor, weight: Tensor? = nil, reduction: LossReduction = .mean
    ) -> Tensor {
        precondition(targets.shape == shape,
            "binaryCrossEntropyWithLogits: logits \(shape) vs targets \(targets.shape)")
        let weights = withGradientsDisabled { weight?.expanded(to: shape) }
        let x = storage.pointer
        let t = targets.storage.pointer
        let w = weights?.storage.pointer
        let elementLosses = Tensor.uninitialized(shape)
        let losses = elementLosses.storage.pointer
        for index in 0..<count {
            let value = x[index]
            let loss = Swift.max(value, 0) - value * t[index] + Foundation.log1p(Foundation.exp(-abs(value)))
            losses[index] = loss * (w?[index] ?? 1)
        }
        let result: Tensor
        switch reduction {
        case .none: result = elementLosses
        case .sum: result = Tensor(Tensor.rowSum(losses, count: count))
        case .mean: result = Tensor(Tensor.rowSum(losses, count: count) / Float(count))
        }
        let total = count
        return result.recorded("binaryCrossEntropyWithLogits", [self]) { gradient in
            let inputGradient = Tensor.uninitialized(self.shape)
            let dx = inputGradient.storage.pointer
            let x = self.storage.pointer
            let t = targets.storage.pointer
            let w = weights?.storage.pointer
            for index in 0..<total {
                let scale: Float
                switch reduction {
                case .none: scale = gradient.storage.pointer[index]
                case .sum: scale = gradient.item
                case .mean: scale = gradient.item / Float(total)
                }
                let probability = 1 / (1 + Foundation.exp(-x[index]))
                dx[index] = (probability - t[index]) * (w?[index] ?? 1) * scale
            }
            return [inputGradient]
        }
    }
}

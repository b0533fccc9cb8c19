import Tensors

/// Scales the gradients of `parameters` so that their global L2 norm is at most `maximumNorm`
/// (`torch.nn.utils.clip_grad_norm_`): with total norm N, every gradient is multiplied by
/// maximumNorm / (N + 1e-6) when that is below 1. Returns N (before clipping), accumulated in
/// Double. Gradients are replaced, never scaled in place (two leaves may share one gradient
/// buffer after a backward pass).
@discardableResult
public func clipGradientNorm(of parameters: [Tensor], maximumNorm: Float) -> Float {
    precondition(maximumNorm > 0, "clipGradientNorm: maximumNorm must be positive")
    var squares: Double = 0
    for parameter in parameters {
        guard let gradient = parameter.grad else { continue }
        gradient.withUnsafeScalars { values in
            for value in values { squares += Double(value) * Double(value) }
        }
    }
    let norm = Float(squares.squareRoot())
    let scale = maximumNorm / (norm + 1e-6)
    if scale < 1 {
        for parameter in parameters {
            if let gradient = parameter.grad {
                parameter.grad = withGradientsDisabled { gradient * scale }
            }
        }
    }
    return norm
}

import Tensors
import VTGCore

/// The outcome of comparing backpropagated gradients with central finite differences.
public struct GradientCheckResult: CustomStringConvertible, Sendable {
    /// The worst element: input index, element index, analytic and numeric values.
    public var worstInput = 0
    public var worstElement = 0
    public var analytic: Float = 0
    public var numeric: Float = 0
    /// The largest |analytic − numeric| − rtol·|numeric|, ≤ atol when the check passes.
    public var worstExcess: Float = -.infinity
    /// True when every element agrees within the tolerances.
    public var passed = true

    public var description: String {
        "gradient check \(passed ? "passed" : "FAILED"): input \(worstInput) element \(worstElement): analytic \(analytic) vs numeric \(numeric)"
    }
}

/// Checks the gradients of `function` with respect to `inputs` against central differences.
///
/// The output is reduced to a scalar with fixed pseudo-random weights (so that every output
/// element matters with a different weight, and a wrong permutation of gradients is caught).
/// Tolerances suit float32: a central difference with step ε has truncation error O(ε²) and
/// rounding error about 1e-7·|loss|/ε, both near 1e-4 for ε = 1e-2 and losses of order 1.
public func gradientCheck(
    _ inputs: [Tensor], epsilon: Float = 1e-2, relativeTolerance: Float = 2e-2,
    absoluteTolerance: Float = 2e-3, seed: UInt64 = 7, _ function: ([Tensor]) -> Tensor
) -> GradientCheckResult {
    for input in inputs { input.requiresGrad = true; input.zeroGradient() }
    let probe = withGradientsDisabled { function(inputs) }
    var generator = SeededGenerator(seed: seed)
    let weights = Tensor.randomUniform(probe.shape, in: -1..<1, using: &generator)
    func loss() -> Float {
        withGradientsDisabled {
            let output = function(inputs)
            return zip(output.scalars, weights.scalars).reduce(0) { $0 + $1.0 * $1.1 }
        }
    }
    let output = function(inputs)
    if output.requiresGrad { (output * weights).sum().backward() }

    var result = GradientCheckResult()
    for (inputIndex, input) in inputs.enumerated() {
        let analytic = input.grad?.scalars ?? [Float](repeating: 0, count: input.count)
        for element in 0..<input.count {
            let original = input.withUnsafeScalars { $0[element] }
            input.withUnsafeMutableScalars { $0[element] = original + epsilon }
            let plus = loss()
            input.withUnsafeMutableScalars { $0[element] = original - epsilon }
            let minus = loss()
            input.withUnsafeMutableScalars { $0[element] = original }
            let numeric = (plus - minus) / (2 * epsilon)
            let excess = abs(analytic[element] - numeric) - relativeTolerance * abs(numeric)
            if excess > result.worstExcess {
                result.worstExcess = excess
                result.worstInput = inputIndex
                result.worstElement = element
                result.analytic = analytic[element]
                result.numeric = numeric
            }
        }
    }
    result.passed = result.worstExcess <= absoluteTolerance
    return result
}

/// Random test input with values in [-1, 1) (or a chosen range), seeded.
public func randomTensor(
    _ shape: [Int], in range: Range<Float> = -1..<1, seed: UInt64 = 1
) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    return Tensor.randomUniform(shape, in: range, using: &generator)
}

/// True when every pair of elements differs by at most `tolerance`.
public func allClose(_ a: [Float], _ b: [Float], tolerance: Float) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance }
}

/// The largest absolute element difference.
public func maximumDifference(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "maximumDifference: \(a.count) vs \(b.count) elements")
    return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

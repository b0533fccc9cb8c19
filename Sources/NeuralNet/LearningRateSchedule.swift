import Foundation

/// A multiplier on every group's base learning rate, as a function of the step number
/// n = 1, 2, ... (the n-th update).
///
/// With W warm-up steps and T total steps:
/// - warm-up, n ≤ W: n / W (the first update already moves; the W-th has the full rate);
/// - linear decay, n > W: max(0, (T − n + 1) / (T − W)) (Hugging Face's
///   `get_linear_schedule_with_warmup` at its 0-based step n − 1);
/// - cosine decay, n > W: ½·(1 + cos(π·p)) with p = min(1, (n − 1 − W) / (T − W)).
public enum LearningRateSchedule: Sendable, Codable, Equatable {
    /// Always 1.
    case constant
    /// Linear warm-up, then linear decay to 0 at step T + 1.
    case linearDecay(warmupSteps: Int, totalSteps: Int)
    /// Linear warm-up, then half a cosine down to 0.
    case cosineDecay(warmupSteps: Int, totalSteps: Int)

    /// The multiplier for update number `step` (1-based).
    public func multiplier(step: Int) -> Float {
        switch self {
        case .constant:
            return 1
        case .linearDecay(let warmup, let total):
            if step <= warmup { return Float(step) / Float(Swift.max(warmup, 1)) }
            return Swift.max(0, Float(total - step + 1) / Float(Swift.max(total - warmup, 1)))
        case .cosineDecay(let warmup, let total):
            if step <= warmup { return Float(step) / Float(Swift.max(warmup, 1)) }
            let progress = Swift.min(
                1, Double(step - 1 - warmup) / Double(Swift.max(total - warmup, 1)))
            return Float(0.5 * (1 + Foundation.cos(Double.pi * progress)))
        }
    }
}

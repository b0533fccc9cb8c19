import Foundation
import Tensors

/// Fixed sinusoidal position encodings (Vaswani et al. 2017), no parameters:
/// PE(pos, 2i) = sin(pos / 10000^(2i/size)), PE(pos, 2i + 1) = cos(pos / 10000^(2i/size)).
///
/// Shapes: a call gives `[length, size]` (not on the tape), which broadcasts over a batch.
public struct SinusoidalPositionEmbedding {
    /// The encoding width (even).
    public let size: Int

    /// Encodings of width `size` (must be even).
    public init(size: Int) {
        precondition(
            size > 0 && size % 2 == 0,
            "SinusoidalPositionEmbedding: size must be positive and even, got \(size)")
        self.size = size
    }

    /// The encodings of positions `offset ..< offset + length`: `[length, size]`.
    public func callAsFunction(length: Int, offset: Int = 0) -> Tensor {
        var values = [Float](repeating: 0, count: length * size)
        for position in 0..<length {
            for pair in 0..<(size / 2) {
                // Computed in Double: the angle reaches thousands of radians for long inputs.
                let frequency = Foundation.pow(10_000, -Double(2 * pair) / Double(size))
                let angle = Double(position + offset) * frequency
                values[position * size + 2 * pair] = Float(Foundation.sin(angle))
                values[position * size + 2 * pair + 1] = Float(Foundation.cos(angle))
            }
        }
        return Tensor(shape: [length, size], scalars: values)
    }
}

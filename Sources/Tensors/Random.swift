import Foundation
import VTGCore

extension Tensor {
    /// Samples from N(mean, standardDeviation²).
    public static func randomNormal(
        _ shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
        using generator: inout SeededGenerator
    ) -> Tensor {
        let result = Tensor.uninitialized(shape)
        for index in 0..<result.count {
            result.storage.pointer[index] = mean + standardDeviation * generator.nextNormal()
        }
        return result
    }

    /// Samples uniformly from [lowerBound, upperBound).
    public static func randomUniform(
        _ shape: [Int], in range: Range<Float>, using generator: inout SeededGenerator
    ) -> Tensor {
        let result = Tensor.uninitialized(shape)
        let width = range.upperBound - range.lowerBound
        for index in 0..<result.count {
            result.storage.pointer[index] = range.lowerBound + width * generator.nextUnitFloat()
        }
        return result
    }
}

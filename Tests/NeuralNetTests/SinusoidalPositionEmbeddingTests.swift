import Foundation
import NeuralNet
import Tensors
import Testing

@Suite struct SinusoidalPositionEmbeddingTests {
    @Test func vaswaniFormula() {
        let table = SinusoidalPositionEmbedding(size: 4)(length: 3).scalars
        // pos 0: [sin 0, cos 0, sin 0, cos 0]; pos 2, pair 1: angle 2/10000^(2/4) = 0.02
        #expect(Array(table[0..<4]) == [0, 1, 0, 1])
        #expect(abs(table[8] - Float(sin(2.0))) < 1e-6 && abs(table[9] - Float(cos(2.0))) < 1e-6)
        #expect(
            abs(table[10] - Float(sin(0.02))) < 1e-7 && abs(table[11] - Float(cos(0.02))) < 1e-6)
        let shifted = SinusoidalPositionEmbedding(size: 4)(length: 1, offset: 2).scalars
        #expect(shifted == Array(table[8..<12]))
    }
}

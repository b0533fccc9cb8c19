import Tensors
import TestSupport
import Testing

@testable import TextEncoding

@Suite struct SentencePoolingTests {
    /// Two sequences of 3 positions, width 2; the second has one padded position.
    private let states = Tensor(
        shape: [2, 3, 2], scalars: [1, 2, 3, 4, 5, 9, -1, 0, 3, -4, 100, 100])
    private let validMask = Mask(shape: [2, 3], values: [true, true, true, true, true, false])

    @Test func meanOverRealTokens() {
        let pooled = SentencePooling(mode: .mean, normalizes: false)(states, validMask: validMask)
        // (1+3+5)/3, (2+4+9)/3; (−1+3)/2, (0−4)/2: the padded 100s are left out.
        #expect(pooled.shape == [2, 2])
        #expect(maximumDifference(pooled.scalars, [3, 5, 1, -2]) <= 1e-6)
    }

    @Test func otherModes() {
        let first = SentencePooling(mode: .classifierToken, normalizes: false)
        #expect(first(states, validMask: validMask).scalars == [1, 2, -1, 0])
        let maximum = SentencePooling(mode: .maximum, normalizes: false)
        #expect(maximum(states, validMask: validMask).scalars == [5, 9, 3, 0])
        let squareRoot = SentencePooling(mode: .meanSquareRootLength, normalizes: false)
        let expected: [Float] = [
            9 / 3.0.squareRoot(), 15 / 3.0.squareRoot(), 2 / 2.0.squareRoot(),
            -4 / 2.0.squareRoot(),
        ].map { Float($0) }
        #expect(
            maximumDifference(squareRoot(states, validMask: validMask).scalars, expected) <= 1e-5)
    }

    @Test func normalisesToUnitLength() {
        let pooled = SentencePooling(mode: .mean, normalizes: true)(states, validMask: validMask)
        // (3, 5)/√34 and (1, −2)/√5.
        let expected: [Float] = [
            3 / 34.0.squareRoot(), 5 / 34.0.squareRoot(), 1 / 5.0.squareRoot(),
            -2 / 5.0.squareRoot(),
        ].map { Float($0) }
        #expect(maximumDifference(pooled.scalars, expected) <= 1e-6)
        #expect(SentencePooling.l2Normalized(Tensor.zeros([1, 3])).scalars == [0, 0, 0])
    }

    @Test func isDifferentiable() {
        let pooling = SentencePooling(mode: .mean, normalizes: true)
        let result = gradientCheck([randomTensor([2, 3, 4], seed: 9)]) { inputs in
            pooling(inputs[0], validMask: validMask)
        }
        #expect(result.passed, "\(result)")
    }
}

import Foundation
import Testing
import Tensors
import TestSupport

@Suite struct SoftmaxTests {
    @Test func softmaxByHand() {
        // softmax([0, ln 3]) = [1/4, 3/4]
        let x = Tensor(shape: [1, 2], scalars: [0, Float(Foundation.log(3.0))])
        #expect(allClose(x.softmax().scalars, [0.25, 0.75], tolerance: 1e-6))
        #expect(allClose(x.logSoftmax().scalars, [Float(Foundation.log(0.25)), Float(Foundation.log(0.75))],
            tolerance: 1e-6))
    }

    @Test func stableForHugeLogits() {
        let x = Tensor(shape: [2, 3], scalars: [1e4, 1e4 - 1, -1e4, -1e4, -1e4 + 2, 1e4])
        let probabilities = x.softmax().scalars
        #expect(probabilities.allSatisfy { $0.isFinite })
        #expect(abs(probabilities[0] - 1 / (1 + Float(Foundation.exp(-1.0)))) < 1e-6)
        // The log of an underflowed probability is finite and exact: -2e4 - log(1 + e^-1).
        let logProbabilities = x.logSoftmax().scalars
        #expect(logProbabilities.allSatisfy { $0.isFinite })
        #expect(abs(logProbabilities[2] - (-2e4 - Float(Foundation.log(1 + Foundation.exp(-1.0))))) < 1e-2)
    }

    @Test func fullyMaskedRowGivesZerosNotNaN() {
        let x = Tensor(shape: [1, 3], scalars: [-.infinity, -.infinity, -.infinity])
        #expect(x.softmax().scalars == [0, 0, 0])
    }

    @Test func gradientCheckOnEveryAxis() {
        let x = randomTensor([3, 4, 5], in: -3..<3)
        for axis in [-1, 0, 1] {
            let softmax = gradientCheck([x]) { $0[0].softmax(axis: axis) }
            #expect(softmax.passed, "softmax axis \(axis): \(softmax)")
            let logSoftmax = gradientCheck([x]) { $0[0].logSoftmax(axis: axis) }
            #expect(logSoftmax.passed, "logSoftmax axis \(axis): \(logSoftmax)")
        }
    }

    @Test func fusedSoftmaxEqualsComposedOps() {
        let x = randomTensor([7, 160], in: -5..<5)
        let composed = (x - x.max(axis: -1, keepingDimensions: true)).exp()
        let reference = composed / composed.sum(axis: -1, keepingDimensions: true)
        #expect(maximumDifference(x.softmax().scalars, reference.scalars) < 1e-6)
    }
}

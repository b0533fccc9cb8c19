import Foundation
import Testing
import Tensors
import TestSupport

@Suite struct LossesTests {
    @Test func crossEntropyByHand() {
        // Logits [0, ln 3] and target 1: −log(3/4). Target 0: −log(1/4). Ignored rows don't count.
        let logits = Tensor(shape: [3, 2], scalars: [0, Float(Foundation.log(3.0)), 0, Float(Foundation.log(3.0)), 5, 5],
            requiresGrad: true)
        let loss = logits.crossEntropy(targets: [1, 0, -100])
        let expected = (-Foundation.log(0.75) - Foundation.log(0.25)) / 2
        #expect(abs(loss.item - Float(expected)) < 1e-6)
        loss.backward()
        // d/dx = (softmax − onehot)/2 on counted rows: row 0 → [0.125, −0.125].
        #expect(allClose(Array(logits.grad!.scalars.prefix(2)), [0.125, -0.125], tolerance: 1e-6))
        #expect(Array(logits.grad!.scalars.suffix(2)) == [0, 0])
    }

    @Test func crossEntropyPassesGradientCheck() {
        for reduction in [LossReduction.mean, .sum, .none] {
            let result = gradientCheck([randomTensor([4, 5], in: -2..<2)]) {
                $0[0].crossEntropy(targets: [0, 4, -100, 2], reduction: reduction)
            }
            #expect(result.passed, "\(reduction): \(result)")
        }
    }

    @Test func binaryCrossEntropyIsStableAtExtremes() {
        // At x = ±100 the naive log(σ(x)) overflows; the stable form gives 100 and ~0.
        let logits = Tensor(shape: [4], scalars: [100, -100, 100, -100], requiresGrad: true)
        let targets = Tensor(shape: [4], scalars: [0, 1, 1, 0])
        let losses = logits.binaryCrossEntropyWithLogits(targets: targets, reduction: .none)
        #expect(allClose(losses.scalars, [100, 100, 0, 0], tolerance: 1e-4))
        losses.sum().backward()
        #expect(allClose(logits.grad!.scalars, [1, -1, 0, 0], tolerance: 1e-6))
    }

    @Test func binaryCrossEntropyByHandAndGradientCheck() {
        // x = 0, t = 1: log 2.
        let loss = Tensor(shape: [1], scalars: [0]).binaryCrossEntropyWithLogits(
            targets: Tensor(shape: [1], scalars: [1]))
        #expect(abs(loss.item - Float(Foundation.log(2.0))) < 1e-6)
        let targets = randomTensor([3, 4], in: 0..<1, seed: 9)
        let weight = randomTensor([4], in: 0..<2, seed: 10)
        for reduction in [LossReduction.mean, .sum, .none] {
            let result = gradientCheck([randomTensor([3, 4], in: -4..<4)]) {
                $0[0].binaryCrossEntropyWithLogits(targets: targets, weight: weight,
                    reduction: reduction)
            }
            #expect(result.passed, "\(reduction): \(result)")
        }
    }
}

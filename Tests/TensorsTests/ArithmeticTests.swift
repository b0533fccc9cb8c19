import Testing
import Tensors
import TestSupport

@Suite struct ArithmeticTests {
    @Test func addBroadcastsRowVectorByHand() {
        // [[1,2,3],[4,5,6]] + [10,20,30] = [[11,22,33],[14,25,36]]
        let a = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let b = Tensor(shape: [3], scalars: [10, 20, 30])
        #expect((a + b).scalars == [11, 22, 33, 14, 25, 36])
        #expect((a + b).shape == [2, 3])
    }

    @Test func broadcastingGradientsSumOverRepeatedAxes() {
        // d/db Σ(a + b) for a [2,3] and b [3]: each b_j appears twice, so db = [2, 2, 2];
        // d/da Σ(a ⊙ c) for c [2,1] = [[5],[7]]: da = c broadcast = [[5,5,5],[7,7,7]],
        // dc_i = Σ_j a_ij = [6, 15].
        let a = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6], requiresGrad: true)
        let b = Tensor(shape: [3], scalars: [10, 20, 30], requiresGrad: true)
        (a + b).sum().backward()
        #expect(b.grad?.scalars == [2, 2, 2])
        #expect(a.grad?.scalars == [1, 1, 1, 1, 1, 1])
        a.zeroGradient()
        let c = Tensor(shape: [2, 1], scalars: [5, 7], requiresGrad: true)
        (a * c).sum().backward()
        #expect(a.grad?.scalars == [5, 5, 5, 7, 7, 7])
        #expect(c.grad?.scalars == [6, 15])
    }

    @Test func divisionByHand() {
        // d(a/b)/da = 1/b = 0.5, d(a/b)/db = -a/b² = -6/4 = -1.5
        let a = Tensor(shape: [1], scalars: [6], requiresGrad: true)
        let b = Tensor(shape: [1], scalars: [2], requiresGrad: true)
        let quotient = a / b
        #expect(quotient.scalars == [3])
        quotient.sum().backward()
        #expect(a.grad?.scalars == [0.5])
        #expect(b.grad?.scalars == [-1.5])
    }

    @Test(arguments: [
        ([2, 3], [2, 3]), ([2, 3], [3]), ([2, 1, 4], [3, 1]), ([4], []), ([], [2, 2]),
        ([1, 1], [3, 1, 2]), ([2, 0, 3], [3]), ([5, 1], [1, 5]),
    ])
    func binaryOpsPassGradientCheck(leftShape: [Int], rightShape: [Int]) {
        let left = randomTensor(leftShape, seed: 1)
        // Keep divisors away from zero.
        let right = randomTensor(rightShape, in: 0.5..<1.5, seed: 2)
        for operation in [
            { (x: [Tensor]) in x[0] + x[1] }, { x in x[0] - x[1] }, { x in x[0] * x[1] },
            { x in x[0] / x[1] },
        ] {
            let result = gradientCheck([left, right], operation)
            #expect(result.passed, "\(leftShape) ⊕ \(rightShape): \(result)")
        }
    }

    @Test func scalarOperationsPassGradientCheck() {
        let x = randomTensor([3, 4], in: 0.5..<2)
        for operation in [
            { (x: [Tensor]) in x[0] + 2 }, { x in 3 - x[0] }, { x in x[0] * -1.5 },
            { x in 2 / x[0] }, { x in -x[0] }, { x in x[0] / 4 },
        ] {
            let result = gradientCheck([x], operation)
            #expect(result.passed, "\(result)")
        }
    }

    @Test func longElementwiseOpsSplitAcrossThreadsGiveTheSameResult() {
        // 4M elements is past the threading threshold; compare with a plain loop.
        let a = randomTensor([2048, 2048], seed: 3)
        let b = randomTensor([2048], seed: 4)
        let sum = (a + b).scalars
        let aScalars = a.scalars
        let bScalars = b.scalars
        var worst: Float = 0
        for index in stride(from: 0, to: aScalars.count, by: 997) {
            worst = max(worst, abs(sum[index] - (aScalars[index] + bScalars[index % 2048])))
        }
        #expect(worst == 0)
    }
}

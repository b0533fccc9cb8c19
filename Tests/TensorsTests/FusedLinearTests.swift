import Tensors
import TestSupport
import Testing

@Suite struct FusedLinearTests {
    @Test func byHand() {
        // x = [1, 2], W = [[1, 0], [0, 1], [1, 1]], b = [10, 20, 30] → [11, 22, 33]
        let x = Tensor(shape: [1, 2], scalars: [1, 2])
        let w = Tensor(shape: [3, 2], scalars: [1, 0, 0, 1, 1, 1])
        let b = Tensor(shape: [3], scalars: [10, 20, 30])
        #expect(linear(x, weight: w, bias: b).scalars == [11, 22, 33])
        #expect(linear(x, weight: w, bias: nil).scalars == [1, 2, 3])
    }

    @Test func equalsMatmulPlusBiasAcrossTheThreadSplit() {
        // 600·96·80 = 4.6 M multiply-adds: above the size at which rows are split over threads.
        let x = randomTensor([3, 200, 80], seed: 1)
        let w = randomTensor([96, 80], seed: 2)
        let b = randomTensor([96], seed: 3)
        let reference = matmul(x, w, transposeB: true) + b
        let fused = linear(x, weight: w, bias: b)
        #expect(fused.shape == [3, 200, 96])
        // Both are float32 sums of 80 products of magnitude ≤ 1, in possibly different order.
        #expect(maximumDifference(fused.scalars, reference.scalars) < 1e-4)
    }

    @Test func fewRowsSplitTheOutputColumns() {
        // 14 rows (one short query) × 1536 × 384 = 8.3 M multiply-adds: too few rows to split,
        // so the output columns are split across threads (when there is more than one).
        let x = randomTensor([14, 384], seed: 4)
        let w = randomTensor([1536, 384], seed: 5)
        let b = randomTensor([1536], seed: 6)
        let reference = matmul(x, w, transposeB: true) + b
        // Float32 sums of 384 products of magnitude ≤ 1, in possibly different order.
        #expect(maximumDifference(linear(x, weight: w, bias: b).scalars, reference.scalars) < 1e-3)
        let noBias = linear(x, weight: w, bias: nil)
        #expect(maximumDifference(noBias.scalars, matmul(x, w, transposeB: true).scalars) < 1e-3)
    }

    @Test func gradientsEqualTheComposedOnes() {
        let seed = randomTensor([3, 200, 96], seed: 4)
        func gradients(_ fused: Bool) -> [[Float]] {
            let x = randomTensor([3, 200, 80], seed: 1)
            let w = randomTensor([96, 80], seed: 2)
            let b = randomTensor([96], seed: 3)
            for leaf in [x, w, b] { leaf.requiresGrad = true }
            let y = fused ? linear(x, weight: w, bias: b) : matmul(x, w, transposeB: true) + b
            y.backward(seed: seed)
            return [x, w, b].map { $0.grad?.scalars ?? [] }
        }
        for (fused, composed) in zip(gradients(true), gradients(false)) {
            // The weight and bias gradients sum 600 products of magnitude ≤ 1.
            #expect(maximumDifference(fused, composed) < 1e-3)
        }
    }

    @Test func gradientCheck() {
        let x = randomTensor([2, 3, 4], seed: 5)
        let w = randomTensor([5, 4], seed: 6)
        let b = randomTensor([5], seed: 7)
        let withBias = TestSupport.gradientCheck([x, w, b]) {
            linear($0[0], weight: $0[1], bias: $0[2])
        }
        #expect(withBias.passed, "\(withBias)")
        let withoutBias = TestSupport.gradientCheck([x, w]) {
            linear($0[0], weight: $0[1], bias: nil)
        }
        #expect(withoutBias.passed, "\(withoutBias)")
    }

    @Test func frozenWeightGetsNoGradient() {
        let x = randomTensor([4, 3], seed: 8)
        let w = randomTensor([2, 3], seed: 9)
        let b = randomTensor([2], seed: 10)
        x.requiresGrad = true
        linear(x, weight: w, bias: b).sum().backward()
        #expect(x.grad != nil && w.grad == nil && b.grad == nil)
    }
}

import Tensors
import TestSupport
import Testing

@Suite struct LayerNormKernelsTests {
    @Test func splitBackwardEqualsTheComposedOps() {
        // 3000 rows × 64: enough work to be split over the worker threads.
        let x = randomTensor([3000, 64], in: -2..<2, seed: 1)
        let weight = randomTensor([64], in: 0.5..<1.5, seed: 2)
        let bias = randomTensor([64], seed: 3)
        let seed = randomTensor([3000, 64], seed: 4)
        func gradients(fused: Bool) -> [[Float]] {
            let leaves = [x, weight, bias].map { $0.copied() }
            for leaf in leaves { leaf.requiresGrad = true }
            let (input, gain, shift) = (leaves[0], leaves[1], leaves[2])
            let output: Tensor
            if fused {
                output = input.layerNorm(weight: gain, bias: shift, epsilon: 1e-5)
            } else {
                let centered = input - input.mean(axis: -1, keepingDimensions: true)
                let variance = (centered * centered).mean(axis: -1, keepingDimensions: true)
                output = centered * (variance + 1e-5).rsqrt() * gain + shift
            }
            output.backward(seed: seed)
            return leaves.map { $0.grad?.scalars ?? [] }
        }
        let fused = gradients(fused: true)
        let composed = gradients(fused: false)
        // dx: float32 sums over 64 features; dweight, dbias: sums over 3000 rows of values ≲ 2.
        #expect(maximumDifference(fused[0], composed[0]) < 1e-4)
        #expect(maximumDifference(fused[1], composed[1]) < 2e-3)
        #expect(maximumDifference(fused[2], composed[2]) < 2e-3)
    }

    @Test func oddFeatureCountGradientCheck() {
        // 13 features: one 8-lane block and a scalar tail.
        let x = randomTensor([3, 13], in: -2..<2, seed: 5)
        let weight = randomTensor([13], in: 0.5..<1.5, seed: 6)
        let bias = randomTensor([13], seed: 7)
        let check = gradientCheck([x, weight, bias]) { $0[0].layerNorm(weight: $0[1], bias: $0[2]) }
        #expect(check.passed, "\(check)")
    }
}

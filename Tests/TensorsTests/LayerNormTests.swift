import Testing
import Tensors
import TestSupport

@Suite struct LayerNormTests {
    @Test func byHand() {
        // Row [1, 3]: mean 2, biased variance 1, so x̂ = [-1, 1]; y = x̂·[2, 3] + [0.5, -0.5].
        let x = Tensor(shape: [1, 2], scalars: [1, 3])
        let y = x.layerNorm(weight: Tensor(shape: [2], scalars: [2, 3]),
            bias: Tensor(shape: [2], scalars: [0.5, -0.5]), epsilon: 0)
        #expect(allClose(y.scalars, [-1.5, 2.5], tolerance: 1e-6))
    }

    @Test func constantRowIsFinite() {
        let x = Tensor(shape: [2, 384], repeating: 3)
        let y = x.layerNorm(weight: .ones([384]), bias: .zeros([384]), epsilon: 1e-12)
        #expect(y.scalars.allSatisfy { $0 == 0 })
    }

    @Test func matchesComposedOpsAndPassesGradientCheck() {
        let x = randomTensor([4, 37], in: -2..<2, seed: 1)
        let weight = randomTensor([37], in: 0.5..<1.5, seed: 2)
        let bias = randomTensor([37], seed: 3)
        let mean = x.mean(axis: -1, keepingDimensions: true)
        let centered = x - mean
        let variance = (centered * centered).mean(axis: -1, keepingDimensions: true)
        let composed = centered * (variance + 1e-5).rsqrt() * weight + bias
        let fused = x.layerNorm(weight: weight, bias: bias)
        #expect(maximumDifference(fused.scalars, composed.scalars) < 1e-5)
        let result = gradientCheck([x, weight, bias]) {
            $0[0].layerNorm(weight: $0[1], bias: $0[2])
        }
        #expect(result.passed, "\(result)")
    }
}

import NeuralNet
import Tensors
import Testing

@Suite struct GradientClippingTests {
    @Test func scalesToTheMaximumGlobalNorm() {
        let a = Tensor(shape: [1], scalars: [0])
        let b = Tensor(shape: [1], scalars: [0])
        a.grad = Tensor(shape: [1], scalars: [3])
        b.grad = Tensor(shape: [1], scalars: [4])
        let norm = clipGradientNorm(of: [a, b], maximumNorm: 1)
        #expect(norm == 5)
        // × 1/(5 + 1e-6)
        #expect(abs(a.grad!.scalars[0] - 0.6) < 1e-6 && abs(b.grad!.scalars[0] - 0.8) < 1e-6)
        #expect(clipGradientNorm(of: [a, b], maximumNorm: 10) < 1.000_001)
        #expect(abs(a.grad!.scalars[0] - 0.6) < 1e-6)
    }

    @Test func sharedGradientBuffersAreScaledOnce() {
        // After x + y, both leaves may receive the very same gradient tensor.
        let x = Tensor(shape: [2], scalars: [1, 2], requiresGrad: true)
        let y = Tensor(shape: [2], scalars: [3, 4], requiresGrad: true)
        ((x + y) * Tensor(shape: [2], scalars: [3, 4])).sum().backward()
        clipGradientNorm(of: [x, y], maximumNorm: 1)
        // Each gradient was [3, 4]: global norm √50; each becomes [3, 4]/√50.
        let expected: [Float] = [3 / Float(50).squareRoot(), 4 / Float(50).squareRoot()]
        for tensor in [x, y] {
            #expect(zip(tensor.grad!.scalars, expected).allSatisfy { abs($0 - $1) < 1e-6 })
        }
    }
}

import Testing
import Tensors
import TestSupport
import VTGCore

@Suite struct DropoutTests {
    @Test func dropsTheRightFractionAndKeepsTheExpectation() {
        var generator = SeededGenerator(seed: 42)
        let x = Tensor.ones([100_000])
        let y = x.dropout(probability: 0.3, using: &generator).scalars
        let dropped = Float(y.filter { $0 == 0 }.count) / Float(y.count)
        // Binomial standard deviation √(0.3·0.7/1e5) ≈ 0.0015: 5σ.
        #expect(abs(dropped - 0.3) < 0.0075)
        #expect(abs(y.reduce(0, +) / Float(y.count) - 1) < 0.02)
    }

    @Test func sameSeedSameMaskAndGradientUsesTheMask() {
        var first = SeededGenerator(seed: 5)
        var second = SeededGenerator(seed: 5)
        let x = randomTensor([50], requiresGradient: true)
        let a = x.dropout(probability: 0.5, using: &first)
        let b = x.dropout(probability: 0.5, using: &second)
        #expect(a.scalars == b.scalars)
        a.sum().backward()
        let gradient = x.grad!.scalars
        for (output, g) in zip(a.scalars, gradient) { #expect((output == 0) == (g == 0)) }
        #expect(gradient.allSatisfy { $0 == 0 || $0 == 2 })
    }
}

private func randomTensor(_ shape: [Int], requiresGradient: Bool) -> Tensor {
    let x = TestSupport.randomTensor(shape, in: 0.5..<1)
    x.requiresGrad = requiresGradient
    return x
}

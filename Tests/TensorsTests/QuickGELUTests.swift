import Testing
import VTGCore

@testable import Tensors

@Suite struct QuickGELUTests {
    /// Values across the sigmoid's range, tails included, and a length with a vector tail.
    static func input(count: Int = 1000) -> Tensor {
        var generator = SeededGenerator(seed: 7)
        return Tensor.randomNormal([count], standardDeviation: 4, using: &generator)
    }

    @Test("equals x·σ(1.702·x) of the unfused ops bit for bit, at any length")
    func matchesTheUnfusedOps() {
        for count in [1, 15, 16, 17, 1000, 3_000_000] {
            let x = Self.input(count: count)
            let unfused = x * (x * Tensor.quickGELUFactor).sigmoid()
            #expect(
                x.quickGELU().scalars.map(\.bitPattern) == unfused.scalars.map(\.bitPattern),
                "\(count) elements")
        }
    }

    @Test("the gradient matches the unfused ops' within float rounding")
    func gradientMatchesTheUnfusedOps() {
        let x = Self.input()
        x.requiresGrad = true
        x.quickGELU().sum().backward()
        let fused = x.grad?.scalars ?? []
        x.zeroGradient()
        (x * (x * Tensor.quickGELUFactor).sigmoid()).sum().backward()
        let unfused = x.grad?.scalars ?? []
        #expect(fused.count == 1000 && unfused.count == 1000)
        // Both compute g·(s + 1.702·x·s·(1 − s)) in different orders: a few ulps of values ≤ 1.1.
        let tolerance: Float = 1e-6
        #expect(zip(fused, unfused).allSatisfy { abs($0 - $1) <= tolerance })
    }
}

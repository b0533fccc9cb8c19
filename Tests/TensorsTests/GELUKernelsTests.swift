import Foundation
import Tensors
import TestSupport
import Testing

@Suite struct GELUKernelsTests {
    /// x over [−8, 8] in steps of 1/64, with a tail that is not a multiple of 8 lanes.
    let inputs = (0...1024).map { Float($0 - 512) / 64 }

    @Test func forwardMatchesExactErf() {
        let x = Tensor(shape: [inputs.count], scalars: inputs)
        let y = x.gelu().scalars
        for (value, result) in zip(inputs, y) {
            let exact = Double(value) * 0.5 * (1 + Foundation.erf(Double(value) / 2.squareRoot()))
            // erf's absolute error ≤ 1.5e-7, scaled by |x|/2, plus float32 rounding of y.
            let tolerance = 1.5e-7 * max(1, Double(abs(value))) + 1e-7 * abs(exact)
            #expect(abs(Double(result) - exact) <= tolerance, "gelu(\(value))")
        }
    }

    @Test func backwardMatchesTheExactDerivative() {
        let x = Tensor(shape: [inputs.count], scalars: inputs, requiresGrad: true)
        x.gelu().sum().backward()
        let gradient = x.grad?.scalars ?? []
        for (value, result) in zip(inputs, gradient) {
            let v = Double(value)
            // d/dx x·Φ(x) = Φ(x) + x·φ(x)
            let exact =
                0.5 * (1 + Foundation.erf(v / 2.squareRoot()))
                + v * Foundation.exp(-v * v / 2) / (2 * Double.pi).squareRoot()
            #expect(abs(Double(result) - exact) <= 3e-7 * max(1, abs(v)), "gelu'(\(value))")
        }
    }

    @Test func splitAcrossThreadsGivesTheSameValues() {
        // 3 M elements: long enough to be split; every chunk must agree with a short run.
        let long = randomTensor([3_000_001], in: -4..<4, seed: 3)
        let head = Tensor(shape: [1000], scalars: Array(long.scalars.prefix(1000)))
        #expect(Array(long.gelu().scalars.prefix(1000)) == head.gelu().scalars)
    }
}

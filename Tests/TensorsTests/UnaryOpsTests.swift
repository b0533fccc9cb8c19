import Foundation
import Testing
import Tensors
import TestSupport

@Suite struct UnaryOpsTests {
    @Test func valuesMatchTheStandardLibrary() {
        let inputs: [Float] = [-20, -3, -1, -0.5, -1e-3, 0, 1e-3, 0.25, 1, 2.5, 10, 20]
        let x = Tensor(shape: [inputs.count], scalars: inputs)
        // SIMD polynomials: relative error ~1e-7 for exp, absolute ≤ 1.5e-7 for erf.
        let relative: Float = 1e-6
        for (value, reference) in zip(x.exp().scalars, inputs.map { Foundation.exp($0) }) {
            #expect(abs(value - reference) <= relative * reference)
        }
        #expect(allClose(x.tanh().scalars, inputs.map { Foundation.tanh($0) }, tolerance: 2e-7))
        #expect(allClose(x.sigmoid().scalars, inputs.map { 1 / (1 + Foundation.exp(-$0)) },
            tolerance: 2e-7))
        let exactGELU = inputs.map { 0.5 * $0 * (1 + Foundation.erf($0 / 2.0.squareRoot().float)) }
        #expect(allClose(x.gelu().scalars, exactGELU, tolerance: 1e-6 * 20))
        let tanhGELU = inputs.map { value -> Float in
            let inner = (2 / Float.pi).squareRoot() * (value + 0.044715 * value * value * value)
            return 0.5 * value * (1 + Foundation.tanh(inner))
        }
        #expect(allClose(x.geluTanh().scalars, tanhGELU, tolerance: 1e-6 * 20))
        #expect(x.relu().scalars == inputs.map { max($0, 0) })
        #expect(x.clamped(min: -1, max: 1).scalars == inputs.map { min(max($0, -1), 1) })
    }

    @Test func expSaturatesInsteadOfOverflowing() {
        let x = Tensor(shape: [3], scalars: [-1000, 100, 1000])
        let values = x.exp().scalars
        #expect(values.allSatisfy { $0.isFinite })
        #expect(values[0] < 1e-37)
    }

    @Test func handDerivedDerivatives() {
        // d/dx e^x at 0 = 1; d/dx log x at 2 = 0.5; d/dx √x at 4 = 1/4; d/dx x^3 at 2 = 12;
        // d/dx tanh at 0 = 1; d/dx σ at 0 = 1/4; d/dx relu at -1 = 0;
        // d/dx GELU at 0 = Φ(0) = 1/2; d/dx x^{-1/2} at 4 = -1/2 · 4^{-3/2} = -1/16.
        func derivative(_ value: Float, _ function: (Tensor) -> Tensor) -> Float {
            let x = Tensor(shape: [1], scalars: [value], requiresGrad: true)
            function(x).sum().backward()
            return x.grad!.item
        }
        #expect(abs(derivative(0) { $0.exp() } - 1) < 1e-6)
        #expect(abs(derivative(2) { $0.log() } - 0.5) < 1e-6)
        #expect(abs(derivative(4) { $0.sqrt() } - 0.25) < 1e-6)
        #expect(abs(derivative(2) { $0.pow(3) } - 12) < 1e-5)
        #expect(abs(derivative(0) { $0.tanh() } - 1) < 1e-6)
        #expect(abs(derivative(0) { $0.sigmoid() } - 0.25) < 1e-6)
        #expect(derivative(-1) { $0.relu() } == 0)
        #expect(abs(derivative(0) { $0.gelu() } - 0.5) < 1e-6)
        #expect(abs(derivative(0) { $0.geluTanh() } - 0.5) < 1e-6)
        #expect(abs(derivative(4) { $0.rsqrt() } + 1.0 / 16) < 1e-6)
    }

    @Test func everyFunctionPassesGradientCheck() {
        let anywhere = randomTensor([5, 7], in: -3..<3)
        let positive = randomTensor([5, 7], in: 0.5..<3)
        // ReLU's kink at 0 must stay out of reach of the finite-difference step.
        let awayFromZero = positive * Tensor(shape: [7], scalars: [1, -1, 1, -1, -1, 1, 1])
        let checks: [(String, Tensor, (Tensor) -> Tensor)] = [
            ("exp", anywhere, { $0.exp() }), ("log", positive, { $0.log() }),
            ("sqrt", positive, { $0.sqrt() }), ("rsqrt", positive, { $0.rsqrt() }),
            ("pow", positive, { $0.pow(2.5) }), ("tanh", anywhere, { $0.tanh() }),
            ("sigmoid", anywhere, { $0.sigmoid() }), ("gelu", anywhere, { $0.gelu() }),
            ("geluTanh", anywhere, { $0.geluTanh() }),
            ("relu", awayFromZero, { $0.relu() }),
            ("clamp", anywhere, { $0.clamped(min: -3.5, max: 3.5) }),
        ]
        for (name, input, function) in checks {
            let result = gradientCheck([input]) { function($0[0]) }
            #expect(result.passed, "\(name): \(result)")
        }
    }
}

extension Double {
    fileprivate var float: Float { Float(self) }
}

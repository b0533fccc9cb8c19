import Testing
import Tensors
import TestSupport
import VTGCore

@Suite struct ReductionsTests {
    @Test func sumMeanMaxByHand() {
        let x = Tensor(shape: [2, 3], scalars: [1, 5, 3, 4, 2, 6])
        #expect(x.sum().item == 21)
        #expect(x.sum(axis: 0).scalars == [5, 7, 9])
        #expect(x.sum(axis: 1, keepingDimensions: true).shape == [2, 1])
        #expect(x.mean(axis: -1).scalars == [3, 4])
        #expect(x.max(axis: 1).scalars == [5, 6])
        #expect(x.max(axis: 0).scalars == [4, 5, 6])
        #expect(Tensor.zeros([2, 0]).sum(axis: 1).scalars == [0, 0])
    }

    @Test func maxGradientGoesToTheFirstMaximum() {
        // Ties: [3, 3, 1] → the gradient flows to index 0 only.
        let x = Tensor(shape: [1, 3], scalars: [3, 3, 1], requiresGrad: true)
        x.max(axis: 1).sum().backward()
        #expect(x.grad?.scalars == [1, 0, 0])
    }

    @Test func reductionsPassGradientCheck() {
        // Distinct values 0.1 apart, shuffled: no near-ties within the finite-difference step.
        var generator = SeededGenerator(seed: 3)
        let values = (0..<60).map { Float($0) * 0.1 - 3 }.shuffled(using: &generator)
        let x = Tensor(shape: [3, 4, 5], scalars: values)
        let checks: [(String, (Tensor) -> Tensor)] = [
            ("sum all", { $0.sum() }), ("sum 1", { $0.sum(axis: 1) }),
            ("sum 0,2 keep", { $0.sum(axes: [0, 2], keepingDimensions: true) }),
            ("mean -1", { $0.mean(axis: -1) }), ("max 1", { $0.max(axis: 1) }),
            ("max 2 keep", { $0.max(axis: 2, keepingDimensions: true) }),
            ("expand", { $0.sum(axis: 0, keepingDimensions: true).expanded(to: [2, 3, 4, 5]) }),
        ]
        for (name, function) in checks {
            let result = gradientCheck([x]) { function($0[0]) }
            #expect(result.passed, "\(name): \(result)")
        }
    }
}

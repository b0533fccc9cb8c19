import Testing
import Tensors
import TestSupport

@Suite struct ShapeOpsTests {
    @Test func permuteByHand() {
        // [[1,2,3],[4,5,6]]ᵀ = [[1,4],[2,5],[3,6]]
        let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect(x.transposed(1, 0).scalars == [1, 4, 2, 5, 3, 6])
        #expect(x.reshaped(to: [3, -1]).shape == [3, 2])
        let y = randomTensor([2, 3, 4, 5])
        #expect(y.transposed(0, 2, 1, 3)[1, 3, 2, 4] == y[1, 2, 3, 4])
    }

    @Test func sliceConcatStackByHand() {
        let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect(x.slice(axis: 1, range: 1..<3).scalars == [2, 3, 5, 6])
        #expect(Tensor.concatenate([x, x.slice(axis: 1, range: 0..<1)], axis: 1).scalars
            == [1, 2, 3, 1, 4, 5, 6, 4])
        #expect(Tensor.stack([x, x], axis: 1).shape == [2, 2, 3])
        #expect(Tensor.stack([x, x], axis: 1).scalars == [1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6])
    }

    @Test func shapeOpsPassGradientCheck() {
        let x = randomTensor([2, 3, 4], seed: 1)
        let y = randomTensor([2, 2, 4], seed: 2)
        let checks: [(String, ([Tensor]) -> Tensor)] = [
            ("reshape", { $0[0].reshaped(to: [6, 4]) * $0[0].reshaped(to: [6, 4]) }),
            ("permute", { $0[0].transposed(2, 0, 1) }),
            ("slice", { $0[0].slice(axis: 1, range: 1..<3) }),
            ("concat", { Tensor.concatenate([$0[0], $0[1]], axis: 1) }),
            ("stack", { Tensor.stack([$0[0].slice(axis: 1, range: 0..<2), $0[1]], axis: -1) }),
        ]
        for (name, function) in checks {
            let result = gradientCheck([x, y], function)
            #expect(result.passed, "\(name): \(result)")
        }
    }

    @Test func reshapeSharesStorageAndTransposeCopies() {
        let x = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        let view = x.reshaped(to: [4])
        x.withUnsafeMutableScalars { $0[0] = 9 }
        #expect(view.scalars[0] == 9)
        let copy = x.transposed(1, 0)
        x.withUnsafeMutableScalars { $0[1] = 7 }
        #expect(copy.scalars == [9, 3, 2, 4])
    }
}

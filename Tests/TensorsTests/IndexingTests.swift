import Testing
import Tensors
import TestSupport

@Suite struct IndexingTests {
    @Test func indexSelectScatterAddsRepeatedRows() {
        // Table rows 0..2; pick [2, 0, 2]: row 2's gradient is the sum of two rows of ones.
        let table = Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6], requiresGrad: true)
        let picked = table.indexSelect([2, 0, 2], indexShape: [1, 3])
        #expect(picked.shape == [1, 3, 2])
        #expect(picked.scalars == [5, 6, 1, 2, 5, 6])
        picked.sum().backward()
        #expect(table.grad?.scalars == [1, 1, 0, 0, 2, 2])
        let result = gradientCheck([randomTensor([4, 3])]) { $0[0].indexSelect([3, 1, 3, 0]) }
        #expect(result.passed, "\(result)")
    }

    @Test func maskedFillAndWhere() {
        let x = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4], requiresGrad: true)
        let mask = Mask(shape: [1, 2], values: [false, true])
        let filled = x.maskedFill(mask, with: -9)
        #expect(filled.scalars == [1, -9, 3, -9])
        filled.sum().backward()
        #expect(x.grad?.scalars == [1, 0, 1, 0])
        let chosen = Tensor.select(mask, x, Tensor(0))
        #expect(chosen.scalars == [0, 2, 0, 4])
        let check = gradientCheck([randomTensor([2, 3], seed: 1), randomTensor([3], seed: 2)]) {
            Tensor.select(Mask(shape: [2, 1], values: [true, false]), $0[0], $0[1])
        }
        #expect(check.passed, "\(check)")
    }
}

import TestSupport
import Testing

@testable import Tensors

/// `Tensor.gelu(rows:)`: `gelu()` bit for bit on the kept rows, forward and backward, 0 on the
/// others, across the thread split.
@Suite struct RowSelectedGELUTests {
    /// Rows kept in runs with gaps, as padded tokens leave them.
    static func keep(_ rowCount: Int) -> [Bool] {
        (0..<rowCount).map { $0 % 9 < 6 || $0 == rowCount - 1 }
    }

    @Test(arguments: [[5, 7, 3], [600, 1024]])  // the second is split across threads
    func equalsGELUOnTheKeptRows(shape: [Int]) {
        let width = shape[shape.count - 1]
        let rowCount = shape.dropLast().reduce(1, *)
        let keep = Self.keep(rowCount)
        let selection = RowSelection(keeping: Mask(shape: [rowCount], values: keep))
        let x = randomTensor(shape, seed: 7)
        x.requiresGrad = true
        let upstream = randomTensor(shape, seed: 8)
        let reference = x.gelu()
        (reference * upstream).sum().backward()
        let referenceGradient = x.grad?.scalars ?? []
        x.grad = nil
        let selected = x.gelu(rows: selection)
        (selected * upstream).sum().backward()
        let gradient = x.grad?.scalars ?? []
        #expect(gradient.count == x.count)
        for row in 0..<rowCount {
            let range = (row * width)..<((row + 1) * width)
            let zeros = [Float](repeating: 0, count: width)
            let expected = keep[row] ? Array(reference.scalars[range]) : zeros
            let expectedGradient = keep[row] ? Array(referenceGradient[range]) : zeros
            #expect(Array(selected.scalars[range]) == expected)
            #expect(Array(gradient[range]) == expectedGradient)
        }
    }

    @Test func isGELUWhereTheOtherRowsAreZero() {
        // What a row-selected product hands it: the whole result equals `gelu()`'s.
        let rowCount = 40
        let keep = Self.keep(rowCount)
        let x = randomTensor([rowCount, 16], seed: 9).scalars.enumerated().map { index, value in
            keep[index / 16] ? value : 0
        }
        let input = Tensor(shape: [rowCount, 16], scalars: x)
        let selection = RowSelection(keeping: Mask(shape: [rowCount], values: keep))
        #expect(input.gelu(rows: selection).scalars == input.gelu().scalars)
        #expect(input.gelu(rows: nil).scalars == input.gelu().scalars)
    }
}

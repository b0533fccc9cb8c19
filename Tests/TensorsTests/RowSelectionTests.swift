import Tensors
import TestSupport
import Testing

@Suite struct RowSelectionTests {
    /// Two items of 5 tokens, the first with 3 real tokens, the second with 4.
    static let mask = Mask(
        shape: [2, 5], values: [true, true, true, false, false, true, true, true, true, false])

    @Test func keepsTheTrueRowsAsRuns() throws {
        let selection = try #require(RowSelection(keeping: Self.mask))
        #expect(selection.rowCount == 10)
        #expect(selection.runs == [0..<3, 5..<9])
        #expect(selection.keptCount == 7)
        #expect(RowSelection(keeping: Mask(shape: [1, 3], values: [true, true, true])) == nil)
        let none = try #require(RowSelection(keeping: Mask(shape: [2], values: [false, false])))
        #expect(none.keptCount == 0 && none.runs.isEmpty)
    }

    /// Row r of `y` is linear's row r on the kept rows and 0 elsewhere; 600 rows × 96 × 80 is
    /// large enough to be split across threads in both the full and the compact product.
    @Test func keptRowsAreTheSameBitsAndTheOthersZero() throws {
        let mask = Mask(
            shape: [3, 200], values: (0..<600).map { $0 % 200 < [150, 200, 90][$0 / 200] })
        let selection = try #require(RowSelection(keeping: mask))
        let x = randomTensor([3, 200, 80], seed: 1)
        let w = randomTensor([96, 80], seed: 2)
        let b = randomTensor([96], seed: 3)
        let full = linear(x, weight: w, bias: b).scalars
        let kept = linear(x, weight: w, bias: b, rows: selection).scalars
        for row in 0..<600 {
            let values = Array(kept[(row * 96)..<((row + 1) * 96)])
            if mask.values[row] {
                #expect(values == Array(full[(row * 96)..<((row + 1) * 96)]))
            } else {
                #expect(values.allSatisfy { $0 == 0 })
            }
        }
        // Another row count, or no selection: plain `linear`.
        #expect(linear(x, weight: w, bias: b, rows: nil).scalars == full)
        let other = try #require(RowSelection(keeping: Self.mask))
        #expect(linear(x, weight: w, bias: b, rows: other).scalars == full)
    }

    /// With a gradient that is 0 on the skipped rows (what reaches padded tokens), the weight
    /// and bias gradients are the same bits as `linear`'s, and so is the input gradient of
    /// every kept row; the skipped rows' input gradient is 0.
    @Test func gradientsAreTheSameBitsWhenTheSkippedRowsGetNone() throws {
        let mask = Mask(
            shape: [3, 200], values: (0..<600).map { $0 % 200 < [150, 200, 90][$0 / 200] })
        let selection = try #require(RowSelection(keeping: mask))
        let upstream =
            randomTensor([3, 200, 96], seed: 4) * mask.asTensor.reshaped(to: [3, 200, 1])
        func gradients(_ rows: RowSelection?) -> [[Float]] {
            let x = randomTensor([3, 200, 80], seed: 1)
            let w = randomTensor([96, 80], seed: 2)
            let b = randomTensor([96], seed: 3)
            for leaf in [x, w, b] { leaf.requiresGrad = true }
            linear(x, weight: w, bias: b, rows: rows).backward(seed: upstream)
            return [x, w, b].map { $0.grad?.scalars ?? [] }
        }
        let full = gradients(nil)
        let kept = gradients(selection)
        #expect(kept[1] == full[1])
        #expect(kept[2] == full[2])
        for row in 0..<600 {
            let values = Array(kept[0][(row * 80)..<((row + 1) * 80)])
            #expect(values == Array(full[0][(row * 80)..<((row + 1) * 80)]))
            if !mask.values[row] { #expect(values.allSatisfy { $0 == 0 }) }
        }
    }

    @Test func gradientCheck() throws {
        let mask = Mask(shape: [2, 3], values: [true, false, true, true, true, false])
        let selection = try #require(RowSelection(keeping: mask))
        let x = randomTensor([2, 3, 4], seed: 5)
        let w = randomTensor([5, 4], seed: 6)
        let b = randomTensor([5], seed: 7)
        let weights = mask.asTensor.reshaped(to: [2, 3, 1])
        // The output is read on the kept rows only, as a model reads its real tokens.
        let result = TestSupport.gradientCheck([x, w, b]) {
            linear($0[0], weight: $0[1], bias: $0[2], rows: selection) * weights
        }
        #expect(result.passed, "\(result)")
    }
}

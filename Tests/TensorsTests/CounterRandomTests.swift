import Testing

@testable import Tensors

@Suite struct CounterRandomTests {
    @Test func isTheSplitMix64Stream() {
        // SplitMix64 from state 0: its first output is 0xE220A8397B1DCDAF (Vigna's reference).
        #expect(CounterRandom.bits(seed: 0, index: 0) == 0xE220_A839_7B1D_CDAF)
    }

    @Test func vectorBlocksAgreeWithTheScalarLayout() {
        let threshold = CounterRandom.threshold(0.3)
        for block in 0..<64 {
            let lanes = CounterRandom.droppedLanes(seed: 9, block: block, threshold: threshold)
            for lane in 0..<8 {
                let value = CounterRandom.value(seed: 9, index: 8 * block + lane)
                #expect((lanes[lane] != 0) == (value < threshold))
                #expect(lanes[lane] == 0 || lanes[lane] == -1)
            }
        }
    }

    @Test func anySplitOfARangeGivesTheSameFactors() {
        // A mask must not depend on where threads split the work.
        let count = 1000
        var whole = [Float](repeating: 0, count: count)
        CounterRandom.applyKeepFactors(
            nil, &whole, first: 0, count: count, probability: 0.25, seed: 3)
        var pieces = [Float](repeating: 0, count: count)
        var start = 0
        for length in [3, 13, 8, 1, 200, 5, 400, 370] {
            pieces.withUnsafeMutableBufferPointer { buffer in
                CounterRandom.applyKeepFactors(
                    nil, buffer.baseAddress! + start, first: start,
                    count: length, probability: 0.25, seed: 3)
            }
            start += length
        }
        #expect(start == count && pieces == whole)
        #expect(Set(whole) == [0, 1 / 0.75])
        // With a source, each element is multiplied by its factor.
        let source = (0..<count).map { Float($0) }
        var product = [Float](repeating: 0, count: count)
        CounterRandom.applyKeepFactors(
            source, &product, first: 0, count: count, probability: 0.25, seed: 3)
        #expect(product == zip(source, whole).map { $0 * $1 })
    }

    @Test func dropsTheRequestedFractionAndOnlyThoseLogits() {
        let count = 200_000
        var factors = [Float](repeating: 0, count: count)
        CounterRandom.applyKeepFactors(
            nil, &factors, first: 0, count: count, probability: 0.1, seed: 5)
        let dropped = Double(factors.filter { $0 == 0 }.count) / Double(count)
        // σ = √(0.09/2e5) ≈ 0.00067; 5σ.
        #expect(abs(dropped - 0.1) < 0.0034)
        var logits = [Float](repeating: 1, count: count)
        CounterRandom.dropToNegativeInfinity(
            &logits, first: 0, count: count, probability: 0.1, seed: 5)
        // Same stream, same decisions: DropKey drops exactly where dropout zeroes.
        #expect(zip(logits, factors).allSatisfy { ($0 == -.infinity) == ($1 == 0) })
        #expect(logits.allSatisfy { $0 == 1 || $0 == -.infinity })
    }
}

import Testing
import VTGCore

@Suite struct UniformIndexTests {
    @Test func matchesTheFormerBatchSamplerDraws() {
        // Recorded from `Datasets.BatchSampler.uniformIndex(below:using:)` with the former
        // synthetic generator (seed 42) before it moved here.
        var generator = SeededGenerator(seed: 42)
        #expect(
            (0..<8).map { _ in generator.uniformIndex(below: 1000) } == [
                83, 378, 680, 924, 991, 769, 719, 850,
            ])
    }

    @Test func staysInRangeAndCoversIt() {
        var generator = SeededGenerator(seed: 3)
        var seen = Set<Int>()
        for _ in 0..<1000 {
            let index = generator.uniformIndex(below: 7)
            #expect((0..<7).contains(index))
            seen.insert(index)
        }
        #expect(seen.count == 7)
    }

    @Test func boundOfOneAlwaysGivesZero() {
        var generator = SeededGenerator(seed: 5)
        #expect((0..<100).allSatisfy { _ in generator.uniformIndex(below: 1) == 0 })
    }
}

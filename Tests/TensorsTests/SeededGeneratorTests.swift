import Testing
import Tensors

@Suite struct SeededGeneratorTests {
    @Test func sameSeedSameStreamAndStateRestores() {
        var a = SeededGenerator(seed: 9)
        var b = SeededGenerator(seed: 9)
        #expect((0..<5).map { _ in a.next() } == (0..<5).map { _ in b.next() })
        let saved = a.state
        let expected = (0..<3).map { _ in a.nextNormal() }
        var restored = SeededGenerator(state: saved)
        #expect((0..<3).map { _ in restored.nextNormal() } == expected)
    }

    @Test func normalSamplesHaveUnitVariance() {
        var generator = SeededGenerator(seed: 3)
        let samples = (0..<100_000).map { _ in Double(generator.nextNormal()) }
        let mean = samples.reduce(0, +) / Double(samples.count)
        let variance = samples.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(samples.count)
        // Standard errors: 0.003 for the mean, 0.0045 for the variance; allow 5 of them.
        #expect(abs(mean) < 0.016)
        #expect(abs(variance - 1) < 0.023)
    }
}

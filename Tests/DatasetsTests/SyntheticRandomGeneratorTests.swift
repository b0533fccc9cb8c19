import Testing

@testable import Datasets

@Test func generatorIsDeterministicAndWellSpread() {
    var first = SyntheticRandomGenerator(seed: 123)
    var second = SyntheticRandomGenerator(seed: 123)
    let a = (0..<5).map { _ in first.next() }
    #expect(a == (0..<5).map { _ in second.next() })
    var normal = SyntheticRandomGenerator(seed: 9)
    let samples = (0..<20000).map { _ in normal.standardNormal() }
    let mean = samples.reduce(0, +) / Double(samples.count)
    let variance = samples.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(samples.count)
    #expect(abs(mean) < 0.03)  // standard error 0.007
    #expect(abs(variance - 1) < 0.05)
    var unit = SyntheticRandomGenerator(seed: 10)
    #expect((0..<1000).allSatisfy { _ in (0..<1).contains(unit.nextUnitInterval()) })
}

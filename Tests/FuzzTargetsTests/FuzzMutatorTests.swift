import FuzzTargets
import Testing
import VTGCore

struct FuzzMutatorTests {
    static let seed = Array("{\"shape\": [2, 3], \"dtype\": \"F32\"}".utf8)
    static let other = Array("id,subject\nAO8RW,x\n".utf8)

    @Test func sameGeneratorGivesTheSameInputs() {
        var first = FuzzMutator(generator: SeededGenerator(seed: 7))
        var second = FuzzMutator(generator: SeededGenerator(seed: 7))
        for _ in 0..<200 {
            #expect(
                first.mutate(Self.seed, splicingWith: Self.other)
                    == second.mutate(Self.seed, splicingWith: Self.other))
        }
    }

    @Test func mutationsChangeTheInputAndVaryInLength() {
        var mutator = FuzzMutator(generator: SeededGenerator(seed: 11))
        let inputs = (0..<200).map { _ in mutator.mutate(Self.seed, splicingWith: Self.other) }
        let changed = inputs.filter { $0 != Self.seed }.count
        #expect(changed >= 190)
        #expect(Set(inputs.map(\.count)).count > 10)
        #expect(inputs.contains { $0.count < Self.seed.count })
        #expect(inputs.contains { $0.count > Self.seed.count })
    }

    @Test func emptySeedsStillMutate() {
        var mutator = FuzzMutator(generator: SeededGenerator(seed: 3))
        for _ in 0..<100 {
            _ = mutator.mutate([], splicingWith: [])
        }
    }
}

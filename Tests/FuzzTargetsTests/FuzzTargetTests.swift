import Foundation
import FuzzTargets
import TestSupport
import Testing
import VTGCore

/// The fuzz smoke of `make test`: every fuzz target runs on its seed corpus and on seeded
/// mutations of it, in-process and without libFuzzer (the sanitizer build of `make fuzz` would
/// double the build time). A parser that traps fails the whole test run; the long runs are
/// `make fuzz FUZZ_SECONDS=600`. Serialized: the targets share one scratch folder.
@Suite(.serialized)
struct FuzzTargetTests {
    /// Mutated inputs per target (fewer for video, where one input is a real decode).
    static let mutations = 400
    static let videoMutations = 60

    static let corpus = FuzzSeedCorpus(
        repositoryRoot: SharedDirectory.repositoryRoot, sharedData: TestData.sharedData)

    @Test(arguments: FuzzTarget.allCases)
    func seedsAndMutationsRunWithoutATrap(target: FuzzTarget) {
        let seeds = Self.corpus.seeds(for: target)
        #expect(!seeds.isEmpty, "no seed for \(target.rawValue): fixtures or test videos missing")
        guard !seeds.isEmpty else { return }
        for seed in seeds {
            target.run(seed.bytes)
        }
        var mutator = FuzzMutator(generator: SeededGenerator(seed: 0xF022))
        let count = target == .video ? Self.videoMutations : Self.mutations
        for index in 0..<count {
            let seed = seeds[index % seeds.count].bytes
            let other = seeds[(index * 7 + 3) % seeds.count].bytes
            target.run(mutator.mutate(seed, splicingWith: other))
        }
    }

    @Test func everyTargetHasSeedSources() {
        for target in FuzzTarget.allCases where target != .wordpiece {
            #expect(!Self.corpus.sources(for: target).isEmpty, "\(target.rawValue)")
        }
        #expect(!FuzzSeedCorpus.literalSeeds(for: .wordpiece).isEmpty)
    }

    @Test(arguments: FuzzTarget.allCases)
    func everyTargetHasWhatItNeeds(target: FuzzTarget) {
        #expect(target.missingResource == nil, "\(target.rawValue): \(target.missingResource ?? "")")
    }
}

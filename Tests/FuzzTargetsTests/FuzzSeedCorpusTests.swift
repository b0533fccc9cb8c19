import Foundation
import FuzzTargets
import TestSupport
import Testing

struct FuzzSeedCorpusTests {
    @Test func textCutKeepsFortyLinesAtMostFourKilobytes() {
        let lines = (0..<100).map { "line \($0)" }.joined(separator: "\n")
        let cut = FuzzSeedCorpus.cut(Data(lines.utf8), .text)
        #expect(cut.filter { $0 == UInt8(ascii: "\n") }.count == FuzzSeedCorpus.textLineLimit)
        let long = Data(repeating: UInt8(ascii: "x"), count: 10_000)
        #expect(FuzzSeedCorpus.cut(long, .text).count == FuzzSeedCorpus.textByteLimit)
    }

    @Test func binaryCutKeepsTheFirstSixtyFourKilobytes() {
        let data = Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0) })
        let cut = FuzzSeedCorpus.cut(data, .binary)
        #expect(cut.count == FuzzSeedCorpus.binaryLimit)
        #expect(cut == Array(data.prefix(FuzzSeedCorpus.binaryLimit)))
    }

    @Test func seedsComeFromTheRealFiles() {
        let corpus = FuzzSeedCorpus(
            repositoryRoot: SharedDirectory.repositoryRoot, sharedData: TestData.sharedData)
        let charades = corpus.seeds(for: .charades)
        #expect(charades.map(\.name) == ["charades_sta_test.txt"])
        #expect(charades.first.map { String(decoding: $0.bytes, as: UTF8.self) }?
            .contains("##") == true)
        #expect(corpus.seeds(for: .npy).count >= 2)
        #expect(corpus.seeds(for: .safetensors).allSatisfy { $0.name.hasSuffix(".safetensors") })
    }
}

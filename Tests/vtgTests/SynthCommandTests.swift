import ArgumentParser
import Datasets
import Testing
import VTGCore

@testable import vtg

@Suite struct SynthCommandTests {
    @Test func absentOptionsLeaveTheLibrarysDefaults() throws {
        let command = try SynthCommand.parse(["--out", "o", "--layout", "tacos"])
        #expect(command.benchmark == SyntheticBenchmarkConfiguration(layout: .tacos))
        let custom = try SynthCommand.parse(
            ["--out", "o", "--layout", "tacos", "--noise", "2", "--feature-dim", "8"])
        #expect(custom.benchmark.noise == 2 && custom.benchmark.featureDimension == 8)
        #expect(custom.benchmark.seed == SyntheticBenchmarkConfiguration(layout: .tacos).seed)
    }

    @Test func theLibrarysChecksRefuseBadSettings() {
        for arguments in [["--videos", "1"], ["--feature-dim", "0"], ["--noise", "-1"]] {
            #expect(throws: (any Error).self) {
                try SynthCommand.parse(["--out", "o", "--layout", "tacos"] + arguments)
            }
        }
    }
}

import ArgumentParser
import Grounding
import Testing
import VTGCore

@testable import vtg

@Suite struct GroundCommandTests {
    static let required = ["--run", "r", "--features", "v.npy", "--duration", "12"]

    @Test func theSpanCountDefaultsToTheLibrarys() throws {
        let command = try GroundCommand.parse(Self.required + ["--query", "a person sits"])
        #expect(command.topK == nil)
        #expect(command.spanCount == SpanDecoder.defaultTopK)
        #expect(
            try GroundCommand.parse(Self.required + ["--query", "x", "--top-k", "2"]).spanCount == 2
        )
    }

    @Test func theLibrarysChecksAreSaidInFlags() {
        func message(_ arguments: [String]) -> String? {
            do {
                _ = try GroundCommand.parse(arguments)
                return nil
            } catch { return GroundCommand.message(for: error) }
        }
        #expect(message(Self.required)?.hasPrefix("missing --query") == true)
        #expect(
            message(Self.required + ["--query", "  "]) == "--query is empty; expected some words")
        #expect(
            message(["--run", "r", "--features", "v.npy", "--duration", "0", "--query", "x"])
                == "--duration is 0.0; expected a positive number of seconds")
        #expect(
            message(Self.required + ["--query", "x", "--top-k", "0"])
                == "--top-k is 0; expected at least 1")
    }
}

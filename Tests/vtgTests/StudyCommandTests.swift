import ArgumentParser
import Grounding
import Testing
import VTGCore

@testable import vtg

@Suite struct StudyCommandTests {
    @Test func absentOptionsLeaveTheStudysDefaults() throws {
        let request = try StudyCommand.parse([]).request
        #expect(request == PromptStudyRequest())
        #expect(try request.makeConfiguration() == PromptStudyConfiguration())
        let quick = try StudyCommand.parse(["--quick", "--seeds", "2"]).request
        #expect(try quick.makeConfiguration().seeds == [1, 2])
    }

    @Test func invalidOptionsAreRefusedInFlags() {
        for (arguments, flag) in [
            (["--seeds", "0"], "--seeds"), (["--epochs", "0"], "--epochs"),
            (["--pretrain-epochs", "0"], "--pretrain-epochs"), (["--videos", "1"], "--videos"),
            (["--annotations", "a"], "--features"), (["--features", "f"], "--annotations"),
        ] {
            #expect(throws: (any Error).self) { try StudyCommand.parse(arguments) }
            do {
                _ = try StudyCommand.parse(arguments)
            } catch {
                #expect(StudyCommand.message(for: error).contains(flag), "\(arguments)")
            }
        }
    }
}

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

    @Test func variantsAreNamedByKeyOrAll() throws {
        let all = try StudyCommand.parse(["--variants", "all"]).request
        #expect(try all.makeConfiguration().variants == PromptStudyVariant.allCases)
        let two = try StudyCommand.parse(["--variants", "lora-violet, full-violet"]).request
        #expect(try two.makeConfiguration().variants == [.lora, .fullAfterPretraining])
    }

    @Test func invalidOptionsAreRefusedInFlags() {
        for (arguments, flag) in [
            (["--seeds", "0"], "--seeds"), (["--epochs", "0"], "--epochs"),
            (["--pretrain-epochs", "0"], "--pretrain-epochs"), (["--videos", "1"], "--videos"),
            (["--annotations", "a"], "--features"), (["--features", "f"], "--annotations"),
            (["--variants", "lora-violet,nonsense"], "--variants"),
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

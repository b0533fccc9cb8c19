import ArgumentParser
import Grounding
import TestSupport
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
        // Every MiniLM row; --clip-model adds the CLIP rows.
        #expect(try all.makeConfiguration().variants == PromptStudyVariant.miniLMRows)
        let two = try StudyCommand.parse(["--variants", "lora-violet, full-violet"]).request
        #expect(try two.makeConfiguration().variants == [.lora, .fullAfterPretraining])
    }

    @Test func theCLIPModelAddsTheCLIPRowsToAll() throws {
        let folder = try TinyCLIPTextModel.folder()
        let request = try StudyCommand.parse(
            ["--clip-model", folder.url.path, "--variants", "all"]
        ).request
        #expect(request.clipModelPath == folder.url.path)
        let configuration = try request.makeConfiguration()
        #expect(configuration.variants == PromptStudyVariant.allCases)
        #expect(configuration.clipText?.modelPath == folder.url.standardizedFileURL.path)
    }

    @Test func invalidOptionsAreRefusedInFlags() {
        for (arguments, flag) in [
            (["--seeds", "0"], "--seeds"), (["--epochs", "0"], "--epochs"),
            (["--pretrain-epochs", "0"], "--pretrain-epochs"), (["--videos", "1"], "--videos"),
            (["--annotations", "a"], "--features"), (["--features", "f"], "--annotations"),
            (["--variants", "lora-violet,nonsense"], "--variants"),
            (["--variants", "full-violet,clip-prompt"], "--clip-model"),
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

import Foundation
import Metrics
import NeuralNet
import TestSupport
import Testing
import TextEncoding
import VTGCore

@testable import Grounding

@Suite struct PromptStudyCLIPTextTests {
    /// A small study on the tiny CLIP (real vocabulary, width 32): MiniLM's full fine-tuning
    /// row, then the two CLIP rows the model folder adds, on a backbone pre-trained on CLIP's
    /// token states; the prompt row trains context vectors through the frozen tower.
    @Test func theCLIPModelAddsTwoRowsOnABackboneOfCLIPsWidth() throws {
        let folder = try TinyCLIPTextModel.folder()
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var request = PromptStudyRequest()
        request.quick = true
        request.syntheticVideos = 24
        request.groundingEpochs = 1
        request.pretrainingEpochs = 1
        request.variants = [.fullAfterPretraining]
        request.clipModelPath = folder.url.path
        let configuration = try request.makeConfiguration()
        #expect(
            configuration.variants == [.fullAfterPretraining, .fullOnCLIPText, .promptOnCLIPText])
        let reporter = RecordingReporter()
        let result = try PromptStudy.run(
            configuration, in: directory, encoder: try MiniLMQueryEncoder(), reporter: reporter)

        #expect(
            result.rows.map(\.variant) == [
                .fullAfterPretraining, .fullOnCLIPText, .promptOnCLIPText,
            ])
        // Paired by seed with MiniLM's full row and with each other.
        for row in result.rows { #expect(row.r1At05.count == configuration.seeds.count) }
        let full = result.rows[1]
        let prompt = result.rows[2]
        #expect(PairedDifference(full.r1At05, result.rows[0].r1At05).differences.count == 1)
        #expect(PairedDifference(prompt.r1At05, full.r1At05).differences.count == 1)
        #expect(abs(full.trainablePercent - 100) < 1e-9)
        #expect(prompt.trainablePercent > 0 && prompt.trainablePercent < 100)
        // Two pretrainings (MiniLM's and CLIP's backbone) and three grounding runs.
        let starts = reporter.events.filter {
            if case .study(.starting) = $0 { return true } else { return false }
        }
        #expect(starts.count == 5)
        // Each pretraining leaves its chance check, in the order run.
        #expect(
            result.pretrainingChecks.map(\.backbone)
                == ["pretrain-violet", "pretrain-violet-clip-text"])

        let json = try JSONSerialization.jsonObject(
            with: Data(contentsOf: directory.appendingPathComponent("study.json")))
        let object = try #require(json as? [String: Any])
        let keys = (object["rows"] as? [[String: Any]])?.compactMap { $0["key"] as? String }
        #expect(keys == ["full-violet", "clip-full", "clip-prompt"])
        let saved = (object["configuration"] as? [String: Any])?["clipText"] as? [String: Any]
        #expect(saved?["modelPath"] as? String == folder.url.standardizedFileURL.path)
        #expect(saved?["textPromptLength"] as? Int == PromptStudyCLIPText.standardTextPromptLength)

        // The backbones: CLIP's width and folder for the CLIP rows, MiniLM's for the others.
        let seed = directory.appendingPathComponent("seed-1")
        func model(_ run: String) throws -> GroundingRunConfiguration {
            try RunDirectory(seed.appendingPathComponent(run)).configuration()
        }
        let clipBackbone = try model(PromptStudyBackbone.violetOnCLIPText.rawValue)
        #expect(clipBackbone.model.textEncoder == .clip && clipBackbone.model.textStateSize == 32)
        #expect(clipBackbone.textModelPath == folder.url.standardizedFileURL.path)
        let miniLMBackbone = try model(PromptStudyBackbone.violet.rawValue)
        #expect((miniLMBackbone.model.textEncoder ?? .standard) == .minilm)
        #expect(miniLMBackbone.model.textStateSize == 384)
        #expect(try model("clip-full").model.textStateSize == 32)

        // The prompt row: the study's prompts plus CLIP context vectors; its checkpoint holds
        // only prompt and head tensors, none of the backbone's or CLIP's.
        let promptRun = try model("clip-prompt")
        #expect(promptRun.prompts?.textPromptLength == PromptStudyCLIPText.standardTextPromptLength)
        #expect(promptRun.prompts?.fusionPromptLength == configuration.prompts.fusionPromptLength)
        let tensors = try CheckpointFile(
            RunDirectory(seed.appendingPathComponent("clip-prompt")).bestCheckpoint
        ).tensorNames
        #expect(tensors.contains("prompt.0.text.embedding.weight"))
        #expect(!tensors.contains { GroundingNetwork.isBackbone($0) })
        #expect(!tensors.contains { CLIPTextEncoder.isTextTowerKey($0) })
        let heads = SpanHead.parameterPrefixes.map { $0 + "." }
        #expect(
            tensors.allSatisfy { name in
                name.hasPrefix("prompt.") || heads.contains { name.hasPrefix($0) }
            })
    }

    @Test func aCLIPRowNeedsTheModelFolder() throws {
        var request = PromptStudyRequest()
        request.variants = [.prompt, .promptOnCLIPText]
        do {
            try request.validate()
            Issue.record("a CLIP row without --clip-model was not refused")
        } catch {
            #expect(GroundingRunRequestTests.inputs(error) == [.clipModel])
            #expect(error.description.contains("clip-prompt"))
        }
        var configuration = PromptStudyConfiguration(quick: true)
        configuration.variants = [.fullOnCLIPText]
        #expect(throws: GroundingError.self) {
            _ = try PromptStudy.clipQueryEncoder(for: configuration)
        }
        configuration.variants = [.prompt]
        #expect(try PromptStudy.clipQueryEncoder(for: configuration) == nil)
    }

    @Test func aMissingOrInvalidModelFolderIsNamed() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var request = PromptStudyRequest()
        let missing = directory.appendingPathComponent("no-such-clip").path
        request.clipModelPath = missing
        do {
            _ = try request.makeConfiguration()
            Issue.record("a missing CLIP folder was accepted")
        } catch let error as GroundingError {
            #expect(GroundingRunRequestTests.inputs(error) == [.clipModel])
            #expect(error.description.contains(missing))
            #expect(error.description.contains("huggingface-cli download"))
        }
        // A folder without config.json: CLIP's own error names the file and what to do.
        request.clipModelPath = directory.path
        do {
            _ = try request.makeConfiguration()
            Issue.record("a folder without config.json was accepted")
        } catch let error as CLIPModelError {
            #expect(
                error.description.contains(directory.appendingPathComponent("config.json").path))
            #expect(error.description.contains("huggingface-cli download"))
        }
    }

    @Test func theModelFolderAddsBothRowsUnlessOneIsNamed() throws {
        let folder = try TinyCLIPTextModel.folder()
        var request = PromptStudyRequest()
        request.clipModelPath = folder.url.path
        let standard = try request.makeConfiguration()
        #expect(
            standard.variants
                == PromptStudyVariant.standardSelection + PromptStudyVariant.clipTextRows)
        #expect(
            standard.clipText == PromptStudyCLIPText(modelPath: folder.url.standardizedFileURL.path)
        )
        request.variants = [.promptOnCLIPText]
        #expect(try request.makeConfiguration().variants == [.promptOnCLIPText])
        let prompts = PromptStudy.prompts(of: .promptOnCLIPText, in: standard)
        #expect(prompts.textPromptLength == PromptStudyCLIPText.standardTextPromptLength)
        #expect(prompts.deepPromptLength == standard.prompts.deepPromptLength)
        // Without the folder nothing changes: no CLIP rows, nothing more in study.json.
        let plain = try PromptStudyRequest().makeConfiguration()
        #expect(plain == PromptStudyConfiguration() && plain.clipText == nil)
        let encoded = String(decoding: try JSONEncoder().encode(plain), as: UTF8.self)
        #expect(!encoded.contains("clipText"))
    }
}

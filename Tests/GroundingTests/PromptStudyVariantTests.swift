import Foundation
import Testing
import VTGCore

@testable import Grounding

@Suite struct PromptStudyVariantTests {
    @Test func theStepCountFollowsTheVariants() {
        // Three backbones pre-trained and sixteen variants trained per seed on MiniLM's states
        // (one more variant re-evaluates a trained run), a fourth backbone and two variants on
        // CLIP's.
        #expect(PromptStudyBackbone.allCases.count == 4)
        #expect(PromptStudyVariant.allCases.filter(\.isTrained).count == 18)
        #expect(PromptStudyVariant.stepsPerSeed(PromptStudyVariant.allCases) == 22)
        #expect(PromptStudyVariant.stepsPerSeed(PromptStudyVariant.miniLMRows) == 19)
        #expect(PromptStudyVariant.stepsPerSeed(PromptStudyVariant.clipTextRows) == 3)
    }

    @Test func theDefaultStudyRunsItsSelectionAndWhatItEvaluates() {
        // One backbone (VIOLET) and five trained variants; the one-prompt row re-evaluates
        // the augmented run.
        #expect(PromptStudyVariant.stepsPerSeed(PromptStudyVariant.standardSelection) == 6)
        #expect(PromptStudyConfiguration().variants == PromptStudyVariant.standardSelection)
        // An evaluated variant brings the run it evaluates; the order is the study's.
        #expect(
            PromptStudyVariant.runnable([.ensembleAugmentOnePrompt, .prompt])
                == [.prompt, .ensembleAugment, .ensembleAugmentOnePrompt])
        #expect(PromptStudyVariant.stepsPerSeed([.lora]) == 2)
        #expect(PromptStudyVariant.stepsPerSeed([.fullWithoutPretraining]) == 1)
    }

    @Test func everyVariantIsRunnableInOrder() {
        let variants = PromptStudyVariant.allCases
        #expect(Set(variants.map(\.rawValue)).count == variants.count)
        // Every backbone is used, and an evaluated variant follows the run it evaluates.
        #expect(Set(variants.compactMap(\.backbone)) == Set(PromptStudyBackbone.allCases))
        for (index, variant) in variants.enumerated() {
            guard let evaluation = variant.evaluation else { continue }
            let source = variants.firstIndex(of: evaluation.source)
            #expect(source.map { $0 < index } == true, "\(variant)")
            #expect(evaluation.source.isTrained)
        }
        #expect(PromptStudyVariant.fullWithoutPretraining.backbone == nil)
        #expect(PromptStudyVariant.fullAfterPretraining.tuning == .full)
        #expect(PromptStudyVariant.promptAfterAllInOne.backbone?.style == .allinone)
        #expect(PromptStudyBackbone.violetWithoutClipMatching.usesClipMatching == false)
    }

    @Test func ensemblesTrainKPromptsAndTheOthersTheStudysPrompts() {
        let configuration = PromptStudyConfiguration(quick: true)
        let average = PromptStudy.prompts(of: .ensembleAverage, in: configuration)
        #expect(average.count == configuration.ensembleSize && average.ensemble == .average)
        let augment = PromptStudy.prompts(of: .ensembleAugment, in: configuration)
        #expect(augment.count == configuration.ensembleSize && augment.ensemble == .augment)
        #expect(PromptStudy.prompts(of: .prompt, in: configuration) == configuration.prompts)
    }

    @Test func aStudyRequestTakesTheDefaultStudysSettingsWhereAbsent() throws {
        var request = PromptStudyRequest()
        #expect(try request.makeConfiguration() == PromptStudyConfiguration())
        request.quick = true
        request.seedCount = 2
        request.groundingEpochs = 5
        let configuration = try request.makeConfiguration()
        #expect(configuration.seeds == [1, 2])
        #expect(configuration.groundingEpochs == 5)
        #expect(
            configuration.syntheticVideos == PromptStudyConfiguration(quick: true).syntheticVideos)
        for (change, input) in [
            ({ (r: inout PromptStudyRequest) in r.seedCount = 0 }, GroundingInput.seedCount),
            ({ $0.pretrainingEpochs = 0 }, .pretrainingEpochs),
            ({ $0.syntheticVideos = 1 }, .syntheticVideos),
            ({ $0.syntheticNoise = -1 }, .syntheticNoise),
            ({ $0.annotationsPath = "a" }, .features),
            ({ $0.featuresPath = "f" }, .annotations),
            ({ $0.variants = [] }, .studyVariants),
        ] {
            var invalid = PromptStudyRequest()
            change(&invalid)
            do {
                try invalid.validate()
                Issue.record("\(input) was not refused")
            } catch {
                #expect(GroundingRunRequestTests.inputs(error) == [input])
            }
        }
    }
}

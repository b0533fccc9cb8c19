import Foundation
import Testing
import VTGCore

@testable import Grounding
@testable import Reports

@Suite struct RunEventTextTests {
    @Test func demoStagesAreNumberedFromTheirEnumeration() {
        let lines = GroundingDemo.Stage.allCases.map { RunEventText.text(of: .demo(.stage($0))) }
        #expect(
            lines == [
                "demo: 1/4 VTM pretraining (VIOLET + clip-level matching)",
                "demo: 2/4 prompt tuning of the frozen backbone",
                "demo: 3/4 full fine-tuning of the same backbone (the baseline)",
                "demo: 4/4 full fine-tuning without VTM pretraining",
            ])
        let writing = RunEventText.text(
            of: .demo(.writingData(directory: URL(fileURLWithPath: "/tmp/demo/data"))))
        #expect(writing == "demo: writing a synthetic Charades-STA benchmark to /tmp/demo/data")
    }

    @Test func studyStepsNameTheSeedTheStepAndTheRun() {
        let configuration = PromptStudyConfiguration()
        func line(_ run: PromptStudy.Run, step: Int) -> String {
            RunEventText.text(
                of: .study(
                    .starting(
                        PromptStudy.Progress(
                            seed: 2, seedNumber: 2, seedCount: 3, step: step,
                            stepCount: 19, run: run,
                            configuration: configuration))))
        }
        #expect(
            line(.pretraining(.violetWithoutClipMatching), step: 6)
                == "study: seed 2 (2/3), step 6/19: VTM pretraining (violet alone)")
        #expect(
            line(.variant(.promptWithAttentionDropout), step: 12)
                == "study: seed 2 (2/3), step 12/19: prompt tuning (violet), attention dropout 0.1")
        let benchmark = configuration.syntheticBenchmark
        #expect(
            RunEventText.text(
                of: .study(.writingData(benchmark, directory: URL(fileURLWithPath: "/s/data"))))
                == "study: writing a synthetic charades-sta benchmark (1000 videos, noise "
                + "\(benchmark.noise)) to /s/data")
    }

    @Test func notesParametersAndConfigurationsAreWordedByTheReports() {
        #expect(
            RunEventText.text(of: .note("resuming after epoch 2 of 5"))
                == "resuming after epoch 2 of 5")
        #expect(
            RunEventText.text(of: .parameters(trainable: 25, frozen: 75, textEncoder: 100))
                == "parameters: 25 trainable (25.00% of the grounding model's 100, 12.50% with "
                + "the frozen text encoder's 100), 75 frozen")
    }
}

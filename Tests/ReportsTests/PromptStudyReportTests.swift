import Metrics
import Testing
import VTGCore

@testable import Grounding
@testable import Reports

@Suite struct PromptStudyReportTests {
    @Test func theMarkdownHasARowPerVariantAndTheConclusions() {
        let configuration = PromptStudyConfiguration(quick: true)
        let rows = PromptStudyVariant.allCases.map {
            PromptStudyRow(
                variant: $0, r1At03: [70], r1At05: [50], r1At07: [30], meanIoU: [45],
                trainableParameters: 136_451, trainablePercent: 4.95, checkpointBytes: 548_500,
                trainingSeconds: 48.2, pretrainingSeconds: 41.4)
        }
        let result = PromptStudyResult(
            configuration: configuration, evaluationProtocol: .vslnet, evaluationSplit: "test",
            queries: 206, rows: rows, totalSeconds: 300)
        let lines = PromptStudyReport.markdown(result).split(
            separator: "\n", omittingEmptySubsequences: false)
        #expect(
            lines[0] == "# Prompt-learning study: charades-sta test (206 queries, protocol vslnet)")
        let table = lines.filter { $0.hasPrefix("| ") }
        #expect(table.count == 1 + PromptStudyVariant.allCases.count)
        #expect(
            table[1]
                == "| full fine-tuning, no VTM | 70.00 ± 0.00 | 50.00 ± 0.00 | 30.00 ± 0.00 | "
                + "45.00 ± 0.00 | 136451 (4.95 %) | 548.5 kB | 48 | 41 |")
        #expect(lines.contains("## Conclusions"))
        let conclusions = PromptStudyReport.conclusions(rows, configuration: configuration)
        #expect(!conclusions.isEmpty)
        for sentence in conclusions { #expect(lines.contains { $0 == "- " + sentence }) }
        #expect(lines.contains { $0.hasPrefix("Settings: 2 pretraining and 3 grounding epochs") })
    }

    /// The CLIP rows' labels, their backbone's progress line, and the model folder in the
    /// settings line only when the study has CLIP rows.
    @Test func theCLIPRowsAreLabelledAndTheirFolderIsInTheSettings() {
        var configuration = PromptStudyConfiguration(quick: true)
        let row = PromptStudyRow(
            variant: .promptOnCLIPText, r1At03: [70], r1At05: [50], r1At07: [30], meanIoU: [45],
            trainableParameters: 1000, trainablePercent: 5, checkpointBytes: 1000,
            trainingSeconds: 1, pretrainingSeconds: 1)
        func settings() -> Substring? {
            let result = PromptStudyResult(
                configuration: configuration, evaluationProtocol: .vslnet,
                evaluationSplit: "test", queries: 1, rows: [row], totalSeconds: 1)
            return PromptStudyReport.markdown(result).split(separator: "\n").last
        }
        #expect(settings()?.hasSuffix("study time 1 s.") == true)
        configuration.clipText = PromptStudyCLIPText(modelPath: "/models/clip", textPromptLength: 8)
        #expect(
            settings()?.hasSuffix(
                "study time 1 s. CLIP text rows: /models/clip, 8 context vectors.") == true)
        #expect(
            PromptStudyReport.label(of: .promptOnCLIPText, in: configuration)
                == "prompt tuning after VTM (violet), 8 CLIP text prompts")
        #expect(
            PromptStudyReport.label(of: .violetOnCLIPText)
                == "VTM pretraining (violet + clip matching) on CLIP's text states")
        #expect(
            PromptStudyReport.label(of: .violet) == "VTM pretraining (violet + clip matching)")
    }

    @Test func everyVariantHasItsOwnLabel() {
        let configuration = PromptStudyConfiguration()
        let labels = PromptStudyVariant.allCases.map {
            PromptStudyReport.label(of: $0, in: configuration)
        }
        #expect(Set(labels).count == labels.count)
        #expect(labels.contains("prompt tuning, K=3 test-time average"))
    }
}

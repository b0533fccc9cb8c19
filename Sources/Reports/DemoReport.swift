import Foundation
import Grounding
import Metrics
import VTGCore

/// The demo in words: its progress lines and the report it ends with.
public enum DemoReport {
    /// The progress line of a step of the demo.
    public static func text(of step: GroundingDemo.Step) -> String {
        switch step {
        case .writingData(let directory):
            return "demo: writing a synthetic Charades-STA benchmark to \(directory.path)"
        case .stage(let stage):
            let label: String
            switch stage {
            case .pretraining: label = "VTM pretraining (VIOLET + clip-level matching)"
            case .promptTuning: label = "prompt tuning of the frozen backbone"
            case .fullFineTuning: label = "full fine-tuning of the same backbone (the baseline)"
            case .fullWithoutPretraining: label = "full fine-tuning without VTM pretraining"
            }
            return "demo: \(stage.rawValue + 1)/\(GroundingDemo.Stage.allCases.count) \(label)"
        }
    }

    /// The report the demo prints: the test metrics beside the baselines, the costs, and the
    /// example queries with their spans.
    public static func text(of result: GroundingDemoResult) -> String {
        var rows: [(label: String, report: MetricsReport)] = [
            ("PromptVTG, prompt-tuned (ours)", result.promptTuned.bestMetrics),
            ("full fine-tuning after VTM", result.fullFineTuned.bestMetrics),
            ("full fine-tuning, no VTM", result.fullWithoutPretraining.bestMetrics),
        ]
        rows += result.baselines.map { ($0.baseline.label, $0.report) }
        let prompt = result.promptTuned
        let full = result.fullFineTuned
        func seconds(_ summary: GroundingTrainingSummary) -> Double {
            summary.epochs.map(\.trainingSeconds).reduce(0, +)
        }
        let duration = result.examples.first?.sample.durationSeconds ?? 0
        var lines = [
            "",
            "# PromptVTG demo: synthetic Charades-STA (\(result.trainingQueries) training, "
                + (result.validationQueries > 0 ? "\(result.validationQueries) validation, " : "")
                + "\(result.testQueries) test queries), protocol vslnet",
            "",
            "Trained runs: \(prompt.selection.description).",
            "",
            MetricsTable.markdown(rows),
            "",
            GroundingReport.pretrainingSummary(result.pretraining),
            "",
            "prompt-tuned: "
                + GroundingReport.parameterSummary(
                    trainable: prompt.trainableParameters, frozen: prompt.frozenParameters,
                    textEncoder: prompt.textEncoderParameters)
                + "; checkpoint \(GroundingReport.byteCount(prompt.checkpointBytes)) beside the "
                + "\(GroundingReport.byteCount(result.pretraining.backboneBytes)) backbone",
            "full fine-tuning: "
                + GroundingReport.parameterSummary(
                    trainable: full.trainableParameters, frozen: full.frozenParameters,
                    textEncoder: full.textEncoderParameters)
                + "; checkpoint \(GroundingReport.byteCount(full.checkpointBytes))",
            String(
                format: "training time: VTM pretraining %.0f s, prompt tuning %.0f s, full "
                    + "fine-tuning %.0f s (%.0f s without VTM)",
                result.pretraining.epochs.map(\.trainingSeconds).reduce(0, +), seconds(prompt),
                seconds(full), seconds(result.fullWithoutPretraining)),
            "",
            "## \(count(result.examples.count)) grounded by the prompt-tuned model in test "
                + "video \(result.exampleVideoID) (\(String(format: "%.1f", duration)) s)",
            "",
        ]
        for example in result.examples {
            let annotation = example.sample.targets.first
            let truth =
                annotation.map {
                    String(format: "%.1f–%.1f s", $0.startSeconds, $0.endSeconds)
                } ?? "–"
            lines.append("\"\(example.sample.query)\" (annotated \(truth))")
            for (rank, span) in example.result.spans.enumerated() {
                lines.append(
                    String(
                        format: "  #%d  %5.1f – %5.1f s  score %.3f  IoU with annotation %.2f",
                        rank + 1, span.span.startSeconds, span.span.endSeconds, span.score,
                        annotation.map { span.span.intersectionOverUnion(with: $0) } ?? 0))
            }
        }
        lines.append("")
        lines.append(
            String(
                format: "demo finished in %.0f s; run directory %@", result.totalSeconds,
                result.runDirectory.path))
        return lines.joined(separator: "\n")
    }

    /// "One query", "Two queries", ... ("12 queries" from thirteen on).
    static func count(_ queries: Int) -> String {
        let words = [
            "No", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten",
            "Eleven", "Twelve",
        ]
        let number = words.indices.contains(queries) ? words[queries] : "\(queries)"
        return number + (queries == 1 ? " query" : " queries")
    }
}

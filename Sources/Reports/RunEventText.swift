import Foundation
import Grounding

/// The words of every `RunEvent`: what the terminal reporter prints for it.
public enum RunEventText {
    /// The event as one or more lines (no trailing newline).
    public static func text(of event: RunEvent) -> String {
        switch event {
        case .note(let text):
            return text
        case .configuration(let run):
            return GroundingReport.configurationSummary(run)
        case .parameters(let trainable, let frozen, let textEncoder):
            return GroundingReport.parameterSummary(
                trainable: trainable, frozen: frozen, textEncoder: textEncoder)
        case .demo(let step):
            return DemoReport.text(of: step)
        case .study(let step):
            return PromptStudyReport.text(of: step)
        }
    }
}

import ArgumentParser
import VTGCore

/// The `vtg` command: one executable for every PromptVTG task.
@main
struct VTG: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vtg",
        abstract: "PromptVTG: video temporal grounding on the CPU.",
        subcommands: [
            BenchCommand.self, StatsCommand.self, SynthCommand.self, ScoreCommand.self,
            BaselineCommand.self, TrainCommand.self, EvalCommand.self, GroundCommand.self,
            DemoCommand.self, EmbedCommand.self, StudyCommand.self, ExtractCommand.self,
            MergeCommand.self,
        ]
    )
}

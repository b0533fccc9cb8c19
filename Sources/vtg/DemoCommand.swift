import ArgumentParser
import Foundation
import Grounding
import Reports
import VTGCore

/// `vtg demo`: the end-to-end demo that `make demo` runs.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: """
            Synthesize a Charades-STA-layout dataset, train, evaluate beside the video-free \
            baseline, ground two queries.
            """)

    @Option(help: "Where to write the data and the run.") var out = "demo-output"
    @Option(help: "Directory of the MiniLM model files.") var textModel: String?
    @Option(parsing: .unconditional, help: "Worker threads (default: VTG_THREADS or every core).")
    var threads: Int?

    func validate() throws {
        try CommandSupport.validating { try WorkerThreads.validate(threads) }
    }

    func run() throws {
        if let threads { WorkerThreads.count = threads }
        try CommandSupport.reportingErrors {
            let encoder = try MiniLMQueryEncoder(textModelOption: textModel)
            let result = try GroundingDemo.run(
                in: URL(fileURLWithPath: out), encoder: encoder, reporter: ProgressReporter())
            print(DemoReport.text(of: result))
        }
    }
}

import ArgumentParser
import Foundation
import Tensors

/// `vtg bench`: speed of the engine and models, from a release build.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the engine's speed (GFLOP/s, GB/s, µs per op, ms per step).",
        discussion: "Run from a release build (`make bench`); debug builds are 10-100x slower.")

    @Flag(help: "Shorter measurements, for a smoke run.")
    var quick = false

    @Option(help: "Worker threads (default: VTG_THREADS or every core).")
    var threads: Int?

    @Option(help: "Also write the figures as JSON to this file.")
    var json: String?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        if let threads { ComputeThreads.count = threads }
        let rows = EngineBenchmark.run(quick: quick) { stage in
            FileHandle.standardError.write(Data("bench: \(stage)…\n".utf8))
        }
        print(formatBenchmarkTable(rows))
        if let json {
            try writeJSON(rows, to: json)
        }
    }
}

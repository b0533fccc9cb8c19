import ArgumentParser
import Tensors

/// `vtg bench`: engine benchmarks (release builds only).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure the tensor engine's speed.")

    @Flag(help: "Fewer repetitions, for a smoke run.")
    var quick = false

    func run() throws {
        print("bench: not yet built")
    }
}

import ArgumentParser
import Datasets
import Foundation
import VTGCore

/// `vtg synth`: write a synthetic grounding benchmark in a real dataset's on-disk layout.
struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Write a synthetic benchmark (annotations + features) in a real layout.",
        discussion: """
            Action classes are verb x object pairs with random prototype vectors; videos are \
            consecutive events plus background, features = prototype + noise + slow drift with \
            blurred boundaries; queries come from paraphrase templates. The same seed gives \
            byte-identical files. See Docs/datasets.md.
            """)

    @Option(help: "Output directory (created if needed).")
    var out: String

    @Option(help: "Layout of the dataset written.")
    var layout: DatasetName

    /// The library's defaults, for the help.
    static let defaults = SyntheticBenchmarkConfiguration(layout: .charadesSTA)
    /// The default number of videos of each layout, for the help.
    static let videoCounts = DatasetName.allCases.map {
        "\($0.rawValue) \(SyntheticBenchmarkConfiguration.defaultVideoCount(for: $0))"
    }.joined(separator: ", ")

    @Option(
        parsing: .unconditional, help: "Number of videos (default: \(SynthCommand.videoCounts)).")
    var videos: Int?

    @Option(parsing: .unconditional, help: "Random seed (default \(SynthCommand.defaults.seed)).")
    var seed: UInt64?

    @Option(
        parsing: .unconditional,
        help: """
            Standard deviation of the per-clip feature noise, prototype entries ~ N(0, 1) \
            (default \(SynthCommand.defaults.noise)).
            """)
    var noise: Double?

    @Option(
        name: .customLong("feature-dim"), parsing: .unconditional,
        help: "Feature dimension (default \(SynthCommand.defaults.featureDimension)).")
    var featureDimension: Int?

    @Flag(help: "Print the manifest as JSON.")
    var json = false

    /// What the options ask for, the library's defaults elsewhere.
    var benchmark: SyntheticBenchmarkConfiguration {
        var benchmark = SyntheticBenchmarkConfiguration(layout: layout, videoCount: videos)
        if let seed { benchmark.seed = seed }
        if let noise { benchmark.noise = noise }
        if let featureDimension { benchmark.featureDimension = featureDimension }
        return benchmark
    }

    func validate() throws {
        try CommandSupport.validating { try benchmark.validate() }
    }

    func run() throws {
        let directory = URL(fileURLWithPath: out)
        try CommandSupport.reportingErrors {
            let manifest = try SyntheticBenchmark.write(benchmark, to: directory)
            if json {
                print(try CommandSupport.json(manifest))
                return
            }
            print("Wrote a synthetic \(layout.rawValue) benchmark to \(directory.path)\n")
            print("| split | videos | queries |")
            print("|---|---:|---:|")
            for split in manifest.splits {
                print("| \(split.name) | \(split.videoCount) | \(split.queryCount) |")
            }
            print(
                "\nfeatures: \(manifest.featurePath) (\(manifest.featureFormat.rawValue), "
                    + "\(manifest.configuration.featureDimension)-d, "
                    + "\(manifest.clipDurationSeconds) s per clip); "
                    + "manifest: \(SyntheticBenchmark.manifestPath)")
        }
    }
}

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

    @Option(help: "Layout: charades-sta, activitynet, tacos or qvhighlights.")
    var layout: DatasetName

    @Option(help: "Number of videos (default: 200; activitynet 150, tacos 40).")
    var videos: Int?

    @Option(help: "Random seed.")
    var seed: UInt64 = 0

    @Option(help: "Standard deviation of the per-clip feature noise (prototype entries ~ N(0, 1)).")
    var noise: Double = 0.8

    @Option(name: .customLong("feature-dim"), help: "Feature dimension.")
    var featureDimension: Int = 256

    @Flag(help: "Print the manifest as JSON.")
    var json = false

    func validate() throws {
        if let videos, videos < 2 { throw ValidationError("--videos must be at least 2.") }
        if featureDimension < 1 { throw ValidationError("--feature-dim must be positive.") }
        if !(noise >= 0 && noise.isFinite) { throw ValidationError("--noise must be >= 0.") }
    }

    func run() throws {
        let directory = URL(fileURLWithPath: out)
        try CommandSupport.reportingErrors {
            let manifest = try SyntheticBenchmark.write(
                SyntheticBenchmarkConfiguration(
                    layout: layout, videoCount: videos, seed: seed, noise: noise,
                    featureDimension: featureDimension),
                to: directory)
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
                    + "\(featureDimension)-d, \(manifest.clipDurationSeconds) s per clip); "
                    + "manifest: \(SyntheticBenchmark.manifestPath)")
        }
    }
}

import ArgumentParser
import Extraction
import Foundation
import Grounding

/// The options of `ground --zero-shot` and `eval --zero-shot`: the CLIP model and the settings of
/// `ZeroShotSettings`, each flag overriding the settings file, which overrides the defaults.
struct ZeroShotOptions: ParsableArguments {
    @Flag(
        help: """
            Ground with no trained model: CLIP image–text similarity of each clip with the \
            query (needs --clip-model; see Docs/zero-shot-grounding.md).
            """)
    var zeroShot = false
    @Option(
        help: """
            Zero-shot settings as JSON (what `vtg eval --zero-shot --search-settings \
            --save-settings FILE` writes); the flags below override it.
            """)
    var settings: String?
    @Option(
        parsing: .unconditional,
        help:
            "Width of the relevance curve's moving average, in clips (odd; default \(ZeroShotSettings.defaultSmoothingClips))."
    )
    var smoothingClips: Int?
    @Option(
        parsing: .unconditional,
        help: """
            The k of each threshold mean + k·sd, comma-separated (default \
            \(ZeroShotSettings.defaultThresholdDeviations.map { "\($0)" }.joined(separator: ","))).
            """)
    var thresholds: String?
    @Option(
        parsing: .unconditional,
        help:
            "Length prior: the preferred span length as a fraction of the video (with --length-prior-weight)."
    )
    var lengthPriorFraction: Double?
    @Option(
        parsing: .unconditional,
        help: "Length prior: the penalty per unit of |ln(fraction / preferred)|, in cosine units.")
    var lengthPriorWeight: Double?
    @Option(
        parsing: .unconditional,
        help: "Temporal NMS IoU threshold (default \(ZeroShotSettings.defaultNMSThreshold)).")
    var nmsThreshold: Double?
    @Option(
        parsing: .unconditional,
        help:
            "Seconds per clip of the features (default 2, the QVHighlights and `vtg extract` layout)."
    )
    var clipSeconds: Double?
    @Flag(help: "The clips share the video's duration evenly instead of lasting --clip-seconds.")
    var evenClips = false

    /// Each setting's flag, for errors.
    static let flags = [
        "smoothingClips": "--smoothing-clips", "thresholdDeviations": "--thresholds",
        "lengthPrior.preferredFraction": "--length-prior-fraction",
        "lengthPrior.weight": "--length-prior-weight", "nmsThreshold": "--nms-threshold",
        "topK": "--top-k", "clipSeconds": "--clip-seconds",
    ]

    /// Refuses zero-shot flags without `--zero-shot`.
    func validateUnused() throws {
        guard !zeroShot else { return }
        let given =
            settings != nil || smoothingClips != nil || thresholds != nil
            || lengthPriorFraction != nil || lengthPriorWeight != nil || nmsThreshold != nil
            || clipSeconds != nil || evenClips
        if given { throw ValidationError("the zero-shot settings need --zero-shot") }
    }

    /// The settings: the file's (or the defaults), then each flag given, validated; `topK` when
    /// the command has its own span count.
    func resolved(topK: Int?) throws -> ZeroShotSettings {
        var result = ZeroShotSettings()
        if let settings {
            do {
                result = try JSONDecoder().decode(
                    ZeroShotSettings.self, from: Data(contentsOf: URL(fileURLWithPath: settings)))
            } catch {
                throw ValidationError(
                    "--settings \(settings): not zero-shot settings JSON (\(error)); write one "
                        + "with `vtg eval --zero-shot --search-settings --save-settings FILE`")
            }
        }
        if let smoothingClips { result.smoothingClips = smoothingClips }
        if let thresholds {
            let values = thresholds.split(separator: ",").map {
                Double($0.trimmingCharacters(in: .whitespaces))
            }
            guard !values.isEmpty, !values.contains(nil) else {
                throw ValidationError("--thresholds \(thresholds): expected numbers like 0,0.5,1")
            }
            result.thresholdDeviations = values.compactMap { $0 }
        }
        switch (lengthPriorFraction, lengthPriorWeight) {
        case (nil, nil): break
        case (let fraction?, let weight?):
            result.lengthPrior = .init(preferredFraction: fraction, weight: weight)
        default:
            throw ValidationError("--length-prior-fraction and --length-prior-weight go together")
        }
        if let nmsThreshold { result.nmsThreshold = nmsThreshold }
        if evenClips, clipSeconds != nil {
            throw ValidationError("--even-clips and --clip-seconds: give one or the other")
        }
        if let clipSeconds { result.clipSeconds = clipSeconds }
        if evenClips { result.clipSeconds = nil }
        if let topK { result.topK = topK }
        do {
            try result.validate()
        } catch {
            let flag = Self.flags[error.field] ?? error.field
            throw ValidationError("\(flag): \(error.value); expected \(error.expected)")
        }
        return result
    }

    /// The zero-shot grounder of the CLIP model folder `clipModel` (or `VTG_CLIP_MODEL`).
    func grounder(clipModel: String?, topK: Int?) throws -> ZeroShotGrounder {
        let settings = try resolved(topK: topK)
        let directory = try ExtractionConfiguration.clipModelDirectory(option: clipModel)
        return try ZeroShotGrounder(
            embedder: CLIPTextEmbedder(clipModelDirectory: directory), settings: settings)
    }
}

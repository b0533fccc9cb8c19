import VideoDecoding
import VisionEncoding

/// The name of the kind of clip features extraction produces, which a grounding run records
/// (`featureKind` in its model configuration) and which `vtg ground --video` checks before it
/// grounds a query in a video: features of another kind would be meaningless to the run's model.
///
/// The name says which CLIP image tower made the features and how clips were sampled:
/// `clip-vit-ARCH-PATCH[-IMAGE][-Ls][-fF]`:
/// - ARCH is OpenAI's name of the width and depth (`b` 768×12, `l` 1024×24, `h` 1280×32,
///   `g` 1408×40, `bigg` 1664×48), else `wWIDTHxLAYERS` (the tiny test model: `w64x2`);
/// - PATCH the patch size; IMAGE the input size when it is not 224;
/// - `-Ls` the clip length when it is not 2 s, `-fF` the frames per clip when not 1.
///
/// So the QVHighlights release's CLIP features, ViT-B/32 on one frame per 2-second clip, are
/// `clip-vit-b-32`: train on downloaded QVHighlights features with `--feature-kind clip-vit-b-32`
/// and `ground --video` accepts the run with the `openai/clip-vit-base-patch32` folder.
/// Normalisation is not part of the kind (the grounding model's feature store normalises as it
/// is configured).
public enum FeatureKind {
    /// OpenAI's architecture letters by (width, layers).
    static let architectureNames: [Int: [Int: String]] = [
        768: [12: "b"], 1024: [24: "l"], 1280: [32: "h"], 1408: [40: "g"], 1664: [48: "bigg"],
    ]

    /// The kind of features `vision` makes with `sampling`.
    public static func clipImage(_ vision: CLIPVisionConfiguration, sampling: ClipSampling)
        -> String
    {
        let architecture =
            architectureNames[vision.hiddenSize]?[vision.layerCount]
            ?? "w\(vision.hiddenSize)x\(vision.layerCount)"
        var name = "clip-vit-\(architecture)-\(vision.patchSize)"
        if vision.imageSize != 224 { name += "-\(vision.imageSize)" }
        if sampling.clipSeconds != ExtractionConfiguration.defaultClipSeconds {
            let seconds = sampling.clipSeconds
            let text =
                seconds.rounded() == seconds && abs(seconds) < 1e9
                ? String(Int(seconds)) : String(seconds)
            name += "-\(text)s"
        }
        if sampling.framesPerClip != ExtractionConfiguration.defaultFramesPerClip {
            name += "-f\(sampling.framesPerClip)"
        }
        return name
    }

    /// The sampling a `clip-vit-…` kind names (its `-Ls` and `-fF` parts, 2 s and 1 frame when
    /// absent), nil for a kind extraction does not make: what `vtg ground --video` extracts with
    /// for a run trained on such features.
    public static func sampling(of kind: String) -> ClipSampling? {
        guard kind.hasPrefix("clip-vit-") else { return nil }
        var clipSeconds = ExtractionConfiguration.defaultClipSeconds
        var framesPerClip = ExtractionConfiguration.defaultFramesPerClip
        for part in kind.split(separator: "-").dropFirst(3) {
            if part.hasSuffix("s"), let seconds = Double(part.dropLast()), seconds > 0,
                seconds.isFinite
            {
                clipSeconds = seconds
            } else if part.hasPrefix("f"), let frames = Int(part.dropFirst()), frames >= 1 {
                framesPerClip = frames
            }
        }
        return ClipSampling(clipSeconds: clipSeconds, framesPerClip: framesPerClip)
    }
}

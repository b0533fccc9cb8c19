import Foundation
import NeuralNet

/// How images become a CLIP model's input, from a model folder's `preprocessor_config.json`: the
/// settings of Hugging Face's `CLIPImageProcessor`.
///
/// Keys the file does not hold take `CLIPImageProcessor`'s defaults: resize the shorter side to
/// 224 with bicubic resampling, centre crop 224×224, rescale by 1/255, normalise with OpenAI's
/// mean and standard deviation. Both spellings of sizes are read: the old integers
/// (`"size": 224`, `"crop_size": 224`, as `openai/clip-vit-base-patch32` has them) and the newer
/// objects (`{"shortest_edge": 224}`, `{"height": 224, "width": 224}`).
public struct CLIPPreprocessorConfiguration: Equatable, Sendable {
    /// The size an image is resized to (`size`).
    public enum ResizeTarget: Equatable, Sendable {
        /// The shorter side becomes this many pixels and the longer keeps the aspect ratio,
        /// rounded down (`{"shortest_edge": n}`, or a bare integer).
        case shortestEdge(Int)
        /// Exactly this size, whatever the aspect ratio (`{"height": h, "width": w}`).
        case exact(height: Int, width: Int)
    }

    /// OpenAI CLIP's per-channel mean (R, G, B) of images in [0, 1].
    public static let openAIMean = [0.48145466, 0.4578275, 0.40821073]
    /// OpenAI CLIP's per-channel standard deviation (R, G, B).
    public static let openAIStandardDeviation = [0.26862954, 0.26130258, 0.27577711]
    /// The only resampling filter supported: Pillow's `BICUBIC` (`"resample": 3`).
    public static let bicubicResample = 3

    /// Whether images are resized (`do_resize`).
    public let resizes: Bool
    /// The size they are resized to (`size`).
    public let resizeTarget: ResizeTarget
    /// Whether the centre is cropped (`do_center_crop`); an image smaller than the crop is padded
    /// with zeros around it, as transformers does.
    public let centerCrops: Bool
    /// The crop's height in pixels (`crop_size`).
    public let cropHeight: Int
    /// The crop's width in pixels (`crop_size`).
    public let cropWidth: Int
    /// Whether 8-bit levels are multiplied by `rescaleFactor` (`do_rescale`).
    public let rescales: Bool
    /// The factor of the rescaling (`rescale_factor`, 1/255).
    public let rescaleFactor: Double
    /// Whether channels are normalised, (x − mean) / std (`do_normalize`).
    public let normalizes: Bool
    /// The per-channel mean, R, G, B (`image_mean`).
    public let mean: [Double]
    /// The per-channel standard deviation, R, G, B (`image_std`).
    public let standardDeviation: [Double]

    /// A configuration; the defaults are `CLIPImageProcessor`'s.
    public init(
        resizes: Bool = true, resizeTarget: ResizeTarget = .shortestEdge(224),
        centerCrops: Bool = true, cropHeight: Int = 224, cropWidth: Int = 224,
        rescales: Bool = true, rescaleFactor: Double = 1.0 / 255.0, normalizes: Bool = true,
        mean: [Double] = openAIMean, standardDeviation: [Double] = openAIStandardDeviation
    ) {
        precondition(
            mean.count == 3 && standardDeviation.count == 3
                && standardDeviation.allSatisfy { $0 != 0 },
            "CLIPPreprocessorConfiguration: mean and standardDeviation need 3 values, deviations"
                + " non-zero")
        precondition(
            cropHeight > 0 && cropWidth > 0,
            "CLIPPreprocessorConfiguration: the crop size must be positive")
        switch resizeTarget {
        case .shortestEdge(let side):
            precondition(side > 0, "CLIPPreprocessorConfiguration: shortest edge must be positive")
        case .exact(let height, let width):
            precondition(
                height > 0 && width > 0, "CLIPPreprocessorConfiguration: size must be positive")
        }
        self.resizes = resizes
        self.resizeTarget = resizeTarget
        self.centerCrops = centerCrops
        self.cropHeight = cropHeight
        self.cropWidth = cropWidth
        self.rescales = rescales
        self.rescaleFactor = rescaleFactor
        self.normalizes = normalizes
        self.mean = mean
        self.standardDeviation = standardDeviation
    }

    /// Reads `preprocessor_config.json`.
    public init(contentsOf url: URL) throws(CLIPModelError) {
        let file = try ConfigurationObject(contentsOf: url)
        _ = try file.integer(
            "resample", default: Self.bicubicResample,
            expected: "\(Self.bicubicResample) (bicubic, the only filter supported)",
            where: { $0 == Self.bicubicResample })
        let (cropHeight, cropWidth) = try Self.size(
            "crop_size", in: file, default: (224, 224), allowsShortestEdge: false)
        let positive: (Double) -> Bool = { $0 > 0 }
        self.init(
            resizes: try file.bool("do_resize", default: true),
            resizeTarget: try Self.resizeTarget(in: file),
            centerCrops: try file.bool("do_center_crop", default: true),
            cropHeight: cropHeight, cropWidth: cropWidth,
            rescales: try file.bool("do_rescale", default: true),
            rescaleFactor: try file.number(
                "rescale_factor", default: 1.0 / 255.0, expected: "a positive number",
                where: positive),
            normalizes: try file.bool("do_normalize", default: true),
            mean: try file.numbers(
                "image_mean", count: 3, default: Self.openAIMean, expected: "3 numbers",
                where: { $0.isFinite }),
            standardDeviation: try file.numbers(
                "image_std", count: 3, default: Self.openAIStandardDeviation,
                expected: "3 positive numbers", where: positive))
    }

    /// `size`: an integer or `{"shortest_edge": n}` (the shorter side), or
    /// `{"height": h, "width": w}`.
    private static func resizeTarget(in file: ConfigurationObject) throws(CLIPModelError)
        -> ResizeTarget
    {
        guard let value = file.value("size") else { return .shortestEdge(224) }
        if case .number = value {
            return .shortestEdge(try file.integer("size", default: 224))
        }
        if let object = try file.object("size"), object.value("shortest_edge") != nil {
            guard object.value("longest_edge") == nil else {
                throw file.invalid(
                    "size", expected: "{\"shortest_edge\": n} without \"longest_edge\"",
                    actual: value)
            }
            return .shortestEdge(try object.integer("shortest_edge", default: 224))
        }
        let (height, width) = try size(
            "size", in: file, default: (224, 224), allowsShortestEdge: true)
        return .exact(height: height, width: width)
    }

    /// A `{"height": h, "width": w}` object, or one integer for a square.
    private static func size(
        _ key: String, in file: ConfigurationObject, default defaultSize: (Int, Int),
        allowsShortestEdge: Bool
    ) throws(CLIPModelError) -> (height: Int, width: Int) {
        guard let value = file.value(key) else { return defaultSize }
        let expected =
            allowsShortestEdge
            ? "a positive integer, {\"shortest_edge\": n} or {\"height\": h, \"width\": w}"
            : "a positive integer or {\"height\": h, \"width\": w}"
        if case .number = value {
            let side = try file.integer(key, default: defaultSize.0, expected: expected)
            return (side, side)
        }
        guard let object = try file.object(key), object.value("height") != nil,
            object.value("width") != nil
        else { throw file.invalid(key, expected: expected, actual: value) }
        return (
            try object.integer("height", default: defaultSize.0),
            try object.integer("width", default: defaultSize.1)
        )
    }
}

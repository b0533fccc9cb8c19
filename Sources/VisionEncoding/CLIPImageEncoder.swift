import Foundation
import NeuralNet
import Tensors

/// A pre-trained CLIP image encoder, frozen, read from a model folder: RGB frames in, image
/// embeddings out, matching Hugging Face's `CLIPImageProcessor` + `CLIPVisionModelWithProjection`
/// (pixels within 2/255, embeddings at cosine ≥ 0.99999 and within 1e-4 of the reference).
///
/// Every weight of the vision tower is loaded strictly by its Hugging Face name: a missing or
/// mismatched key fails, and so does an unexpected one, except the text tower of a full
/// `CLIPModel` checkpoint (`text_model.*`, `text_projection.weight`, `logit_scale`), which is
/// left for the text encoder and not read, and the `position_ids` buffers older checkpoints
/// carry. Inference records no tape, runs in batches and uses `ComputeThreads.count` threads.
///
/// Reduced precision: built with `precision: .bf16` or `.int8`, the encoder's products run at that
/// precision (see `CLIPVisionModel.converted(to:features:)`), or at float32 on a CPU without the
/// kernel (`precision` then says float32).
public final class CLIPImageEncoder {
    /// Images per forward pass in `embeddings(of:)`.
    public static let defaultBatchSize = 32

    /// The files it was read from.
    public let files: CLIPModelFiles
    /// Frames → `pixel_values`.
    public let preprocessor: CLIPImagePreprocessor
    /// The vision transformer and its projection.
    public let model: CLIPVisionModel
    /// The weights, by Hugging Face path; all frozen.
    public let parameters: ParameterStore

    /// The width of an image embedding (`projection_dim`).
    public var embeddingSize: Int { model.configuration.projectionSize }

    /// The precision the encoder's products run at: the one asked for, or float32 where the CPU
    /// lacks its kernel.
    public var precision: Precision { model.precision }

    /// Reads the model folder at `directory` (see `CLIPModelFiles`), its products at
    /// `precision`.
    public convenience init(directory: URL, precision: Precision = .float32)
        throws(CLIPModelError)
    {
        try self.init(files: CLIPModelFiles(directory: directory), precision: precision)
    }

    /// Builds the encoder from checked model files, loading `model.safetensors` strictly, its
    /// products at `precision` (converted once, after loading).
    public init(files: CLIPModelFiles, precision: Precision = .float32) throws(CLIPModelError) {
        self.files = files
        let weights: [String: Tensor]
        do {
            let file = try SafetensorsFile(contentsOf: files.weightsURL)
            weights = try Self.visionTensors(of: file)
        } catch {
            throw .unreadableWeights(error)
        }
        parameters = ParameterStore(weights: weights, source: files.weightsURL.path)
        let model = CLIPVisionModel(files.visionConfiguration, parameters: parameters.root)
        do {
            try parameters.finishLoading(policy: .strict)
        } catch {
            throw .weightsDoNotFit(error)
        }
        parameters.freeze(prefix: "")
        self.model = precision == .float32 ? model : model.converted(to: precision)
        preprocessor = CLIPImagePreprocessor(files.preprocessorConfiguration)
    }

    /// True for the keys of a `CLIPModel` checkpoint that belong to its text tower.
    public static func isTextTowerKey(_ name: String) -> Bool {
        name.hasPrefix("text_model.") || name == "text_projection.weight" || name == "logit_scale"
    }

    /// Every tensor of `file` but the text tower's and the integer `position_ids` buffers,
    /// converted to Float32.
    static func visionTensors(of file: SafetensorsFile) throws(SafetensorsError)
        -> [String: Tensor]
    {
        try CLIPCheckpoint.tensors(of: file) { !isTextTowerKey($0) }
    }

    /// The image embeddings of `images`, in input order: `[images, embeddingSize]`, each row
    /// L2-normalised when `normalized` (as CLIP compares images and texts), else as
    /// `image_embeds` of the reference. Images of any sizes may be mixed.
    public func embeddings(
        of images: [RGBImage], normalized: Bool = false, batchSize: Int = defaultBatchSize
    ) -> Tensor {
        precondition(batchSize > 0, "CLIPImageEncoder: batchSize \(batchSize) must be positive")
        let width = embeddingSize
        var result = [Float](repeating: 0, count: images.count * width)
        withGradientsDisabled {
            for start in stride(from: 0, to: images.count, by: batchSize) {
                let batch = Array(images[start..<min(start + batchSize, images.count)])
                let embeddings = model(preprocessor(batch))
                embeddings.withUnsafeScalars { scalars in
                    for (offset, value) in scalars.enumerated() {
                        result[start * width + offset] = value
                    }
                }
            }
        }
        if normalized {
            for row in 0..<images.count {
                let values = result[row * width..<(row + 1) * width]
                let norm = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
                guard norm > 0 else { continue }
                for index in row * width..<(row + 1) * width { result[index] /= norm }
            }
        }
        return Tensor(shape: [images.count, width], scalars: result)
    }
}

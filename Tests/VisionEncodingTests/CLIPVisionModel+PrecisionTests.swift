import Foundation
import NeuralNet
import Tensors
import TestSupport
import Testing

@testable import VisionEncoding

/// The CLIP image tower at reduced precision (`Precision.bf16`, `.int8`) against float32: the
/// tiny random CLIP of the golden fixture (against transformers' reference embeddings) and a
/// ViT-B/32-sized random model (against our float32 pass, which matches transformers).
@Suite struct CLIPVisionModelPrecisionTests {
    /// The accuracy bounds, as for MiniLM: the image-embedding cosine to float32 of
    /// every frame.
    static let minimumCosine: [Precision: Float] = [.bf16: 0.999, .int8: 0.995]

    /// The same for the image-dependent part of a random ViT-B/32's embeddings (each minus the
    /// float32 mean over the frames), whose common part would hide errors: measured 0.99974
    /// (bf16) and 0.9941 (int8) on the golden frames.
    static let minimumCentredCosine: [Precision: Float] = [.bf16: 0.999, .int8: 0.99]

    /// The golden frames.
    static let images = CLIPGolden.frames.map { CLIPGolden.frame($0.name) }

    /// Rows of `embeddings` `[rows, width]` against `reference` `[rows · width]`: the cosines.
    static func cosines(_ embeddings: Tensor, _ reference: [Float]) -> [Float] {
        let width = embeddings.shape[1]
        let values = embeddings.scalars
        return (0..<embeddings.shape[0]).map { row in
            CLIPImageEncoderTests.cosine(
                values[row * width..<(row + 1) * width], reference[row * width..<(row + 1) * width])
        }
    }

    /// Checks every cosine against the bound and prints the minimum and mean for the note.
    static func expectWithinBound(
        _ cosines: [Float], precision: Precision, model: String
    ) throws {
        let bound = try #require(minimumCosine[precision])
        for (index, similarity) in cosines.enumerated() {
            #expect(
                similarity >= bound, "\(model) \(precision) frame \(index): cosine \(similarity)")
        }
        let mean = cosines.reduce(0, +) / Float(cosines.count)
        print(
            "CLIP \(model) \(precision) vs float32, \(cosines.count) frames: cosine min"
                + " \(cosines.min() ?? 0), mean \(mean)")
    }

    @Test(
        "tiny CLIP golden: embeddings within the bound of transformers' float32",
        arguments: [Precision.bf16, .int8])
    func tinyGoldenWithinBound(precision: Precision) throws {
        try #require(CPUFeatures.current.supportedPrecision(precision) == precision)
        let encoder = try CLIPImageEncoder(
            directory: CLIPGolden.modelDirectory, precision: precision)
        #expect(encoder.precision == precision)
        let reference = CLIPGolden.imageEmbeddings.values
        try Self.expectWithinBound(
            Self.cosines(encoder.embeddings(of: Self.images), reference), precision: precision,
            model: "tiny golden")
    }

    @Test(
        "ViT-B/32-sized random model: embeddings within the bound of float32",
        arguments: [Precision.bf16, .int8])
    func vitB32WithinBound(precision: Precision) throws {
        try #require(CPUFeatures.current.supportedPrecision(precision) == precision)
        let store = ParameterStore(seed: 1)
        let model = CLIPVisionModel(CLIPVisionConfiguration(), parameters: store.root)
        store.freeze(prefix: "")
        let pixels = CLIPImagePreprocessor()(Self.images)
        let converted = model.converted(to: precision)
        #expect(converted.precision == precision && converted.embeddings.precision == precision)
        let (float32, reduced) = withGradientsDisabled { (model(pixels), converted(pixels)) }
        try Self.expectWithinBound(
            Self.cosines(reduced, float32.scalars), precision: precision, model: "ViT-B/32 random")
        // A random model's embeddings share a large common part (two frames' float32 embeddings
        // are at cosine ~0.995), so the image-dependent part is checked too: every embedding
        // minus the float32 mean over the frames.
        let width = float32.shape[1]
        let values = float32.scalars
        let mean = (0..<width).map { column in
            stride(from: column, to: values.count, by: width).reduce(0) { $0 + values[$1] }
                / Float(float32.shape[0])
        }
        func centred(_ embeddings: Tensor) -> Tensor {
            Tensor(
                shape: embeddings.shape,
                scalars: embeddings.scalars.enumerated().map { $1 - mean[$0 % width] })
        }
        let centredCosines = Self.cosines(centred(reduced), centred(float32).scalars)
        let centredBound = try #require(Self.minimumCentredCosine[precision])
        print(
            "CLIP ViT-B/32 random \(precision) vs float32, centred on the frames' mean: cosine"
                + " min \(centredCosines.min() ?? 0)")
        #expect(centredCosines.allSatisfy { $0 >= centredBound }, "\(centredCosines)")
    }

    /// Without the CPU features, a conversion keeps float32: the same numbers as never converting.
    @Test(arguments: [Precision.bf16, .int8])
    func fallsBackToFloat32WithoutTheKernel(precision: Precision) throws {
        let float32 = try CLIPImageEncoder(directory: CLIPGolden.modelDirectory)
        let converted = float32.model.converted(to: precision, features: [])
        #expect(converted.precision == .float32 && converted.embeddings.precision == .float32)
        let pixels = float32.preprocessor(Self.images)
        let (expected, fallback) = withGradientsDisabled {
            (float32.model(pixels), converted(pixels))
        }
        #expect(fallback.scalars == expected.scalars)
    }

    /// Converting back to float32 restores the float32 products bit for bit.
    @Test func convertsBackToFloat32() throws {
        let float32 = try CLIPImageEncoder(directory: CLIPGolden.modelDirectory)
        let precision = CPUFeatures.current.supportedPrecision(.int8)
        let restored = float32.model.converted(to: precision).converted(to: .float32)
        #expect(restored.precision == .float32)
        let pixels = float32.preprocessor(Self.images)
        let (expected, result) = withGradientsDisabled { (float32.model(pixels), restored(pixels)) }
        #expect(result.scalars == expected.scalars)
    }
}

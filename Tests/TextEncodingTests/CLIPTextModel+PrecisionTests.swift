import Foundation
import Tensors
import TestSupport
import Testing

@testable import TextEncoding

@Suite struct CLIPTextModelPrecisionTests {
    /// The bounds for reduced-precision sentence embeddings (as for MiniLM).
    static let minimumCosine: [Precision: Float] = [.bf16: 0.999, .int8: 0.995]

    private static func cosine(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Float {
        let dot = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
        let norms =
            a.reduce(0) { $0 + $1 * $1 }.squareRoot() * b.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return dot / norms
    }

    @Test(arguments: [Precision.bf16, .int8])
    func reducedPrecisionStaysCloseToTheReference(precision: Precision) throws {
        let folder = try CLIPTextGolden.modelFolder()
        let float32 = try CLIPTextEncoder(directory: folder.url)
        let converted = float32.converted(to: precision)
        #expect(converted.precision == CPUFeatures.current.supportedPrecision(precision))
        #expect(float32.precision == .float32)
        let golden = try CLIPTextGolden.load()
        let texts = golden.items.map(\.text)
        let embeddings = converted.embeddings(of: texts, batchSize: 3).scalars
        let size = converted.embeddingSize
        var worst: Float = 1
        for (index, item) in golden.items.enumerated() {
            let row = embeddings[(index * size)..<((index + 1) * size)]
            worst = min(worst, Self.cosine(row, item.textEmbeds[...]))
        }
        let bound = Self.minimumCosine[precision] ?? 1
        #expect(worst >= bound, "\(precision): worst cosine to transformers \(worst)")
    }

    @Test func conversionSharesTheTokenizerAndLeavesTheFloat32ModelAlone() throws {
        let folder = try CLIPTextGolden.modelFolder()
        let float32 = try CLIPTextEncoder(directory: folder.url)
        let before = float32.embeddings(of: ["a person opens the door"]).scalars
        _ = float32.converted(to: .int8)
        #expect(float32.embeddings(of: ["a person opens the door"]).scalars == before)
        #expect(float32.converted(to: .float32).precision == .float32)
    }
}

import Foundation
import NeuralNet
import Tensors
import TestSupport
import Testing

@testable import VisionEncoding

@Suite struct CLIPImageEncoderTests {
    /// The parity bounds for image embeddings against transformers.
    static let minimumCosine: Float = 0.99999
    /// float32 through two layers of width 64 and a 3072-term patch product: about 1e-6 apart,
    /// bounded by the 1e-4.
    static let absoluteTolerance: Float = 1e-4

    static func encoder() throws -> CLIPImageEncoder {
        try CLIPImageEncoder(directory: CLIPGolden.modelDirectory)
    }

    static func cosine(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Float {
        let dot = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
        let norms =
            a.reduce(0) { $0 + $1 * $1 }.squareRoot() * b.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return dot / norms
    }

    @Test("real video frames: image embeddings match transformers' CLIP (cosine, abs error)")
    func embeddingsMatchReference() throws {
        let encoder = try Self.encoder()
        let images = CLIPGolden.frames.map { CLIPGolden.frame($0.name) }
        let embeddings = encoder.embeddings(of: images)
        let reference = CLIPGolden.imageEmbeddings
        #expect(embeddings.shape == reference.shape)
        let ours = embeddings.scalars
        let width = encoder.embeddingSize
        var worstCosine: Float = 1
        var worstError: Float = 0
        for (row, frame) in CLIPGolden.frames.enumerated() {
            let range = row * width..<(row + 1) * width
            let cosine = Self.cosine(ours[range], reference.values[range])
            let error = zip(ours[range], reference.values[range]).map { abs($0 - $1) }.max() ?? 0
            #expect(cosine >= Self.minimumCosine, "\(frame.name): cosine \(cosine)")
            #expect(error <= Self.absoluteTolerance, "\(frame.name): error \(error)")
            worstCosine = min(worstCosine, cosine)
            worstError = max(worstError, error)
        }
        print("CLIP image embeddings: worst cosine \(worstCosine), worst abs error \(worstError)")
    }

    @Test("normalised embeddings have unit length and the reference's direction")
    func normalisedEmbeddings() throws {
        let encoder = try Self.encoder()
        let images = CLIPGolden.frames.map { CLIPGolden.frame($0.name) }
        let plain = encoder.embeddings(of: images).scalars
        let unit = encoder.embeddings(of: images, normalized: true).scalars
        let width = encoder.embeddingSize
        for row in 0..<images.count {
            let range = row * width..<(row + 1) * width
            let norm = unit[range].reduce(0) { $0 + $1 * $1 }.squareRoot()
            #expect(abs(norm - 1) < 1e-5)
            #expect(Self.cosine(unit[range], plain[range]) > 0.999999)
        }
    }

    @Test("the batch size and the order of images do not change the embeddings")
    func batchingIsInvisible() throws {
        let encoder = try Self.encoder()
        let images = CLIPGolden.frames.map { CLIPGolden.frame($0.name) }
        let whole = encoder.embeddings(of: images).scalars
        let single = encoder.embeddings(of: images, batchSize: 1).scalars
        let width = encoder.embeddingSize
        let reversed = encoder.embeddings(of: images.reversed(), batchSize: 3).scalars
        #expect(allClose(whole, single, tolerance: 1e-6))
        for row in 0..<images.count {
            let mirrored = images.count - 1 - row
            #expect(
                allClose(
                    Array(whole[row * width..<(row + 1) * width]),
                    Array(reversed[mirrored * width..<(mirrored + 1) * width]), tolerance: 1e-6))
        }
    }

    @Test("the text tower of a CLIPModel checkpoint is accepted and not loaded")
    func textTowerIsSkipped() throws {
        let encoder = try Self.encoder()
        let names = try SafetensorsFile(contentsOf: encoder.files.weightsURL).tensorNames
        #expect(names.contains("logit_scale") && names.contains("text_projection.weight"))
        #expect(names.contains { $0.hasPrefix("text_model.") })
        let loaded = Set(encoder.parameters.entries.map(\.path))
        #expect(loaded == Set(names.filter { !CLIPImageEncoder.isTextTowerKey($0) }))
        #expect(encoder.parameters.trainableParameterCount == 0)
    }

    /// A copy of the tiny model folder whose weights are `edit(weights)`.
    static func folder(editing edit: (inout [String: Tensor]) -> Void) throws -> TemporaryDirectory
    {
        let directory = try TemporaryDirectory(label: "clip-weights")
        for name in ["config.json", "preprocessor_config.json"] {
            try FileManager.default.copyItem(
                at: CLIPGolden.modelDirectory.appendingPathComponent(name),
                to: directory.file(name))
        }
        var weights = try SafetensorsFile(
            contentsOf: CLIPGolden.modelDirectory.appendingPathComponent("model.safetensors")
        ).floatTensors()
        edit(&weights)
        try SafetensorsWriter.write(
            weights.keys.sorted().map { SafetensorsEntry(name: $0, tensor: weights[$0]!) },
            to: directory.file("model.safetensors"))
        return directory
    }

    @Test("strict loading lists missing, unexpected and mismatched keys together")
    func strictLoading() throws {
        let directory = try Self.folder { weights in
            weights["vision_model.encoder.layers.1.mlp.fc2.bias"] = nil
            weights["vision_model.encoder.layers.0.self_attn.q_proj.weight"] = Tensor.zeros([
                64, 32,
            ])
            weights["vision_model.pooler.weight"] = Tensor.zeros([2])
            weights["text_model.anything.weight"] = Tensor.zeros([3])
        }
        #expect {
            _ = try CLIPImageEncoder(directory: directory.url)
        } throws: { error in
            guard case CLIPModelError.weightsDoNotFit(let problems) = error else { return false }
            return problems.missing == ["vision_model.encoder.layers.1.mlp.fc2.bias"]
                && problems.unexpected == ["vision_model.pooler.weight"]
                && problems.mismatched == [
                    .init(
                        path: "vision_model.encoder.layers.0.self_attn.q_proj.weight",
                        expected: [64, 64], actual: [64, 32])
                ]
        }
    }

    @Test("a vision-only checkpoint (CLIPVisionModelWithProjection) gives the same embeddings")
    func standaloneVisionCheckpoint() throws {
        let directory = try Self.folder { weights in
            weights = weights.filter { !CLIPImageEncoder.isTextTowerKey($0.key) }
        }
        let configuration = """
            {"model_type": "clip_vision_model", "hidden_size": 64, "intermediate_size": 256,
             "num_hidden_layers": 2, "num_attention_heads": 4, "patch_size": 32,
             "image_size": 224, "projection_dim": 32, "hidden_act": "quick_gelu"}
            """
        try configuration.write(
            to: directory.file("config.json"), atomically: true, encoding: .utf8)
        let standalone = try CLIPImageEncoder(directory: directory.url)
        let images = [CLIPGolden.frame("bikes")]
        #expect(
            standalone.embeddings(of: images).scalars
                == (try Self.encoder()).embeddings(of: images).scalars)
    }

    @Test("unreadable weights name the file")
    func unreadableWeights() throws {
        let directory = try Self.folder { _ in }
        try Data("not safetensors".utf8).write(to: directory.file("model.safetensors"))
        #expect {
            _ = try CLIPImageEncoder(directory: directory.url)
        } throws: { error in
            guard case CLIPModelError.unreadableWeights(let problem) = error else { return false }
            return problem.path.hasSuffix("model.safetensors")
        }
    }
}

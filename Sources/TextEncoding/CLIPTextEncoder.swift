import Foundation
import NeuralNet
import Tensors

/// A pre-trained CLIP text encoder, frozen, read from a model folder: texts in, CLIP text
/// embeddings (or token states) out, matching transformers' `CLIPTokenizer` +
/// `CLIPTextModelWithProjection` (ids identical; states within 1e-4, embeddings at cosine
/// ≥ 0.99999 on the random-initialised golden).
///
/// The folder is a Hugging Face CLIP model folder such as `openai/clip-vit-base-patch32`:
/// `config.json` (a `CLIPModel` or `CLIPTextModelWithProjection` configuration),
/// `model.safetensors`, and the vocabulary, `vocab.json` + `merges.txt` (or the original
/// `bpe_simple_vocab_16e6.txt.gz`). Every weight of the text tower is loaded strictly by its
/// Hugging Face name; the image tower of a full `CLIPModel` (`vision_model.*`,
/// `visual_projection.weight`), `logit_scale` and the integer `position_ids` buffers are not
/// read. Inference records no tape and runs in batches of similar lengths.
public final class CLIPTextEncoder {
    /// Texts per forward pass.
    public static let defaultBatchSize = 64

    /// Text → token ids, truncated to the model's positions.
    public let tokenizer: CLIPTokenizer
    /// The text transformer and its projection.
    public let model: CLIPTextModel
    /// The weights, by Hugging Face path; all frozen.
    public let parameters: ParameterStore

    /// The width of a text embedding (`projection_dim`).
    public var embeddingSize: Int { model.configuration.projectionSize }
    /// The width of a token state (`hidden_size`).
    public var hiddenSize: Int { model.configuration.hiddenSize }

    /// Reads the model folder at `directory`.
    public convenience init(directory: URL) throws(CLIPModelError) {
        let configuration = try CLIPTextConfiguration(
            contentsOf: directory.appendingPathComponent("config.json"))
        let tokenizer: CLIPTokenizer
        do {
            tokenizer = try CLIPTokenizer(
                directory: directory, contextLength: configuration.maximumPositions)
        } catch {
            throw CLIPModelError(error)
        }
        guard tokenizer.vocabulary.count == configuration.vocabularySize else {
            throw .invalidValue(
                path: directory.appendingPathComponent("config.json").path,
                key: "text_config.vocab_size",
                expected: "\(tokenizer.vocabulary.count) (the tokens of the vocabulary files)",
                actual: "\(configuration.vocabularySize)")
        }
        let weightsURL = directory.appendingPathComponent("model.safetensors")
        guard FileManager.default.fileExists(atPath: weightsURL.path) else {
            throw .missingFile(path: weightsURL.path)
        }
        let weights: [String: Tensor]
        do {
            weights = try Self.textTensors(of: SafetensorsFile(contentsOf: weightsURL))
        } catch {
            throw .unreadableWeights(error)
        }
        let parameters = ParameterStore(weights: weights, source: weightsURL.path)
        let model = CLIPTextModel(configuration, parameters: parameters.root)
        do {
            try parameters.finishLoading(policy: .strict)
        } catch {
            throw .weightsDoNotFit(error)
        }
        self.init(tokenizer: tokenizer, model: model, parameters: parameters)
    }

    /// An encoder from its parts (such as random weights for a benchmark); freezes every
    /// parameter of `parameters`.
    public init(tokenizer: CLIPTokenizer, model: CLIPTextModel, parameters: ParameterStore) {
        precondition(
            tokenizer.contextLength <= model.configuration.maximumPositions
                && tokenizer.vocabulary.count <= model.configuration.vocabularySize,
            "CLIPTextEncoder: the tokenizer (\(tokenizer.vocabulary.count) tokens, context"
                + " \(tokenizer.contextLength)) does not fit the model")
        self.tokenizer = tokenizer
        self.model = model
        self.parameters = parameters
        parameters.freeze(prefix: "")
    }

    /// True for the keys of a CLIP checkpoint that belong to the text tower.
    public static func isTextTowerKey(_ name: String) -> Bool {
        name.hasPrefix("text_model.") || name == "text_projection.weight"
    }

    /// The text tower's tensors of `file` but the integer `position_ids` buffer, in Float32.
    static func textTensors(of file: SafetensorsFile) throws(SafetensorsError) -> [String: Tensor] {
        try CLIPCheckpoint.tensors(of: file, where: isTextTowerKey)
    }

    /// The text embeddings of `texts`, in input order: `[texts, embeddingSize]`, each row
    /// L2-normalised when `normalized` (as CLIP compares texts and images), else as
    /// `text_embeds` of the reference.
    public func embeddings(
        of texts: [String], normalized: Bool = false, batchSize: Int = defaultBatchSize
    ) -> Tensor {
        let width = embeddingSize
        var result = [Float](repeating: 0, count: texts.count * width)
        forEachBatch(texts, batchSize: batchSize) { group, batch in
            let positions = CLIPTextModel.endOfTextPositions(
                of: batch.tokenIDs, batch: batch.batchSize, tokens: batch.sequenceLength,
                endOfTextID: tokenizer.endOfTextID)
            model.projectedEmbeddings(
                ofTokenIDs: batch.tokenIDs, batch: batch.batchSize, tokens: batch.sequenceLength,
                at: positions
            ).withUnsafeScalars { scalars in
                for (row, index) in group.enumerated() {
                    var values = Array(scalars[row * width..<(row + 1) * width])
                    if normalized {
                        let norm = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
                        if norm > 0 { values = values.map { $0 / norm } }
                    }
                    result.replaceSubrange(index * width..<(index + 1) * width, with: values)
                }
            }
        }
        return Tensor(shape: [texts.count, width], scalars: result)
    }

    /// The final states (after `final_layer_norm`) of the real tokens of each text, start and
    /// end tokens included, in input order; no tape.
    public func tokenStates(_ texts: [String], batchSize: Int = defaultBatchSize)
        -> [TextTokenStates]
    {
        var results = [TextTokenStates?](repeating: nil, count: texts.count)
        let hidden = hiddenSize
        forEachBatch(texts, batchSize: batchSize) { group, batch in
            let states = model.states(
                ofTokenIDs: batch.tokenIDs, batch: batch.batchSize, tokens: batch.sequenceLength)
            let rowLength = batch.sequenceLength * hidden
            states.withUnsafeScalars { scalars in
                for (row, index) in group.enumerated() {
                    let start = row * rowLength
                    results[index] = TextTokenStates(
                        tokenIDs: Array(batch.tokenIDs(row: row).prefix(batch.lengths[row])),
                        wasTruncated: batch.wasTruncated[row], hiddenSize: hidden,
                        states: Array(scalars[start..<start + batch.lengths[row] * hidden]))
                }
            }
        }
        return results.map { result in
            guard let result else {
                preconditionFailure(
                    "CLIPTextEncoder.tokenStates: a text was left out of every batch")
            }
            return result
        }
    }

    /// The projected text embedding (un-normalised) of one text's `states` (from
    /// `tokenStates`): `text_projection` of the state at its first end-of-text token;
    /// `embeddingSize` values.
    public func embedding(of states: TextTokenStates) -> [Float] {
        precondition(
            states.hiddenSize == hiddenSize && states.promptLength == 0,
            "CLIPTextEncoder.embedding(of:): states of width \(states.hiddenSize) with"
                + " \(states.promptLength) prompt rows, expected width \(hiddenSize) and none")
        let position =
            CLIPTextModel.endOfTextPositions(
                of: states.tokenIDs, batch: 1, tokens: states.tokenCount,
                endOfTextID: tokenizer.endOfTextID)[0]
        let pooled = Tensor(
            shape: [1, hiddenSize], scalars: Array(states.state(ofToken: position)))
        return withGradientsDisabled { model.textProjection(pooled).scalars }
    }

    /// Encodes `texts`, groups them by length (at most `batchSize` a group) and calls `body`
    /// with each group's indices and padded batch, without a tape.
    private func forEachBatch(
        _ texts: [String], batchSize: Int,
        _ body: (_ group: [Int], _ batch: EncodedBatch) -> Void
    ) {
        precondition(batchSize > 0, "CLIPTextEncoder: batchSize \(batchSize) must be positive")
        let encodings = texts.map { tokenizer.encode($0) }
        withGradientsDisabled {
            for group in MiniLMEncoder.lengthGroups(
                lengths: encodings.map(\.tokenIDs.count), maximumBatchSize: batchSize)
            {
                body(
                    group,
                    EncodedBatch(group.map { encodings[$0] }, paddingID: tokenizer.endOfTextID))
            }
        }
    }
}

extension CLIPModelError {
    /// The tokenizer's error about a model folder's vocabulary files, as a model error.
    init(_ error: TextModelError) {
        switch error {
        case .missingFile(let path): self = .missingFile(path: path)
        case .unreadableFile(let path, let reason):
            self = .unreadableFile(path: path, reason: reason)
        case .invalidJSON(let path, let reason): self = .invalidJSON(path: path, reason: reason)
        case .missingKey(let path, let key): self = .missingKey(path: path, key: key)
        case .invalidValue(let path, let key, let expected, let actual):
            self = .invalidValue(path: path, key: key, expected: expected, actual: actual)
        case .invalidVocabulary(let path, let line, let reason):
            self = .invalidValue(
                path: path, key: "line \(line)", expected: "a valid BPE vocabulary line",
                actual: reason)
        case .unreadableWeights(let error): self = .unreadableWeights(error)
        case .weightsDoNotFit(let error): self = .weightsDoNotFit(error)
        case .modelNotFound, .directoryNotFound:
            self = .unreadableFile(path: "", reason: error.description)
        }
    }
}

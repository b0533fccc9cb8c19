import NeuralNet
import Tensors

/// The precision of the encoder's inference products, under the name front ends use (they need
/// not import Tensors for it).
public typealias EncoderPrecision = Precision

/// The pre-trained sentence encoder all-MiniLM-L6-v2, frozen: tokenizer, BERT and
/// sentence-transformers' pooling, read from the model files and matching the reference library
/// (token ids identical, token states within 1e-4, sentence embeddings at cosine ≥ 0.99999).
///
/// Every weight is loaded strictly by its Hugging Face name and frozen (no gradients, no
/// optimiser touches it). Inference (`tokenStates`, `sentenceEmbeddings`) records no tape and
/// batches internally: texts are sorted by length and grouped so that little padding is
/// computed, and results come back in input order.
///
/// Prompt tuning: `softPrompt(_:parameters:)` creates a prompt in the trainer's parameter store;
/// `self(texts, prompt:, context:)` is the differentiable pass (one padded batch on the tape),
/// whose `tokenStates(includingPrompt:)` feed a task head and whose `sentenceEmbeddings(of:)`
/// are pooled embeddings; a trained prompt also goes to `tokenStates(_:prompt:)` for inference.
///
/// Reduced precision: built with `precision: .bf16` or `.int8` (or `converted(to:)`), every
/// linear product of the encoder layers runs at that precision in passes without a tape (see
/// `Precision`); a pass that records gradients (prompt tuning) stays float32.
public final class MiniLMEncoder {
    /// The texts per forward pass in `tokenStates` and `sentenceEmbeddings`.
    public static let defaultBatchSize = 64

    /// The tokenizer (WordPiece, truncation to `maximumSequenceLength`).
    public let tokenizer: BertTokenizer
    /// The BERT encoder.
    public let model: BertModel
    /// Token states → sentence embedding (mean pooling and L2 normalisation for MiniLM).
    public let pooling: SentencePooling
    /// The encoder's parameters, by Hugging Face path; all frozen.
    public let parameters: ParameterStore
    /// The precision of the encoder layers' inference products: as requested, or float32 where
    /// the CPU lacks the requested precision's kernel.
    public let precision: Precision

    /// The width of token states and sentence embeddings.
    public var hiddenSize: Int { model.configuration.hiddenSize }

    /// Reads the tokenizer, the configuration and `model.safetensors` of `modelFiles` (found with
    /// `TextModelFiles.locate`), loading every weight strictly: a missing, unexpected or
    /// mismatched key fails, all listed. The checkpoint's `pooler.*` (unused by
    /// sentence-transformers) is skipped. `usesDropout`: see `BertModel.init`; `precision`: of
    /// the encoder layers' inference products (see `converted(to:features:)`).
    public init(
        modelFiles: TextModelFiles, usesDropout: Bool = false, precision: Precision = .float32
    ) throws(TextModelError) {
        tokenizer = try BertTokenizer(modelFiles: modelFiles)
        let weights: [String: Tensor]
        do {
            weights = try SafetensorsFile(contentsOf: modelFiles.weightsURL).floatTensors()
        } catch {
            throw .unreadableWeights(error)
        }
        parameters = ParameterStore(weights: weights, source: modelFiles.weightsURL.path)
        let model = BertModel(
            modelFiles.configuration, parameters: parameters.root, usesDropout: usesDropout)
        do {
            try parameters.finishLoading(
                policy: LoadPolicy(allowsMissing: false, ignoredPrefixes: ["pooler."]))
        } catch {
            throw .weightsDoNotFit(error)
        }
        parameters.freeze(prefix: "")
        self.precision = CPUFeatures.current.supportedPrecision(precision)
        self.model = model.converted(to: self.precision)
        pooling = SentencePooling(modelFiles.sentenceEmbeddingConfiguration)
    }

    private init(
        tokenizer: BertTokenizer, model: BertModel, pooling: SentencePooling,
        parameters: ParameterStore, precision: Precision
    ) {
        self.tokenizer = tokenizer
        self.model = model
        self.pooling = pooling
        self.parameters = parameters
        self.precision = precision
    }

    /// This encoder with the encoder layers' linear products at `precision` for inference, or
    /// at float32 where `features` lack its kernel; it shares the tokenizer and the float32
    /// weights, and converts them once, now.
    public func converted(to precision: Precision, features: CPUFeatures = .current)
        -> MiniLMEncoder
    {
        let supported = features.supportedPrecision(precision)
        return MiniLMEncoder(
            tokenizer: tokenizer, model: model.converted(to: supported, features: features),
            pooling: pooling, parameters: parameters, precision: supported)
    }

    /// The last layer's states of the real tokens of each text, in input order; no tape.
    ///
    /// - Parameters:
    ///   - texts: any strings; each is truncated to the tokenizer's maximum sequence length
    ///     (`wasTruncated` says so).
    ///   - prompt: a (trained) soft prompt in front of every text, or nil.
    ///   - includingPrompt: whether the prompt's rows come first in each result's `states`.
    ///   - batchSize: at most this many texts per forward pass.
    public func tokenStates(
        _ texts: [String], prompt: SoftPrompt? = nil, includingPrompt: Bool = false,
        batchSize: Int = defaultBatchSize
    ) -> [TextTokenStates] {
        precondition(
            batchSize > 0, "MiniLMEncoder.tokenStates: batchSize \(batchSize) must be positive")
        let encodings = texts.map { tokenizer.encode($0) }
        var results = [TextTokenStates?](repeating: nil, count: texts.count)
        let hidden = hiddenSize
        let promptRows = includingPrompt ? prompt?.length ?? 0 : 0
        withGradientsDisabled {
            for group in Self.lengthGroups(
                lengths: encodings.map(\.tokenIDs.count), maximumBatchSize: batchSize)
            {
                let batch = EncodedBatch(
                    group.map { encodings[$0] }, paddingID: tokenizer.paddingTokenID)
                var context = ForwardContext.evaluation
                let output = model(batch, prompt: prompt, context: &context)
                let states = output.tokenStates(includingPrompt: includingPrompt).states
                let rowsPerText = states.shape[1]  // [group, rowsPerText, hidden]
                states.withUnsafeScalars { scalars in
                    for (row, index) in group.enumerated() {
                        let start = row * rowsPerText * hidden
                        let count = (promptRows + batch.lengths[row]) * hidden
                        results[index] = TextTokenStates(
                            tokenIDs: encodings[index].tokenIDs,
                            wasTruncated: encodings[index].wasTruncated, hiddenSize: hidden,
                            promptLength: promptRows,
                            states: Array(scalars[start..<start + count]))
                    }
                }
            }
        }
        return results.map { result in
            guard let result else {
                preconditionFailure("MiniLMEncoder.tokenStates: a text was left out of every batch")
            }
            return result
        }
    }

    /// The sentence embedding of one text's token states, pooled over all its rows (the
    /// prompt's too when they are included) as the model's sentence-transformers files say:
    /// mean, then L2-normalised, for MiniLM. `hiddenSize` values.
    public func sentenceEmbedding(of states: TextTokenStates) -> [Float] {
        withGradientsDisabled {
            let rows = states.rowCount
            let pooled = pooling(
                states.tensor.reshaped(to: [1, rows, states.hiddenSize]),
                validMask: Mask(shape: [1, rows], values: [Bool](repeating: true, count: rows)))
            return pooled.scalars
        }
    }

    /// A soft prompt of this encoder's width, under `parameters` (in the store of whatever is
    /// trained with it); `.text` initialisation uses this encoder's tokenizer.
    public func softPrompt(_ configuration: SoftPrompt.Configuration, parameters: ParameterScope)
        -> SoftPrompt
    {
        SoftPrompt(
            configuration, parameters: parameters,
            wordEmbeddings: model.embeddings.wordEmbeddings.weight, tokenizer: tokenizer)
    }

    /// Encodes `texts` in one padded batch, in input order, recording on the tape when
    /// gradients are enabled: the training path (only `prompt` receives gradients; the encoder
    /// is frozen).
    ///
    /// - Returns: states `[texts, promptLength + tokens, hidden]` and their mask; choose the
    ///   positions with `tokenStates(includingPrompt:)`, pool with `sentenceEmbeddings(of:)`.
    public func callAsFunction(
        _ texts: [String], prompt: SoftPrompt? = nil, context: inout ForwardContext
    ) -> BertOutput {
        model(tokenizer.encode(batch: texts), prompt: prompt, context: &context)
    }

    /// The sentence embeddings `[batch, hidden]` of an output, pooled over the text positions
    /// (default) or the prompt's too; on the tape.
    public func sentenceEmbeddings(of output: BertOutput, includingPrompt: Bool = false)
        -> Tensor
    {
        let (states, validMask) = output.tokenStates(includingPrompt: includingPrompt)
        return pooling(states, validMask: validMask)
    }

    /// The sentence embedding of each text, in input order (`hiddenSize` values each; unit
    /// length for MiniLM).
    public func sentenceEmbeddings(_ texts: [String], batchSize: Int = defaultBatchSize)
        -> [[Float]]
    {
        tokenStates(texts, batchSize: batchSize).map(sentenceEmbedding(of:))
    }

    /// The fixed cost of one forward pass, in padded-token equivalents: every pass streams the
    /// 42 MB of layer weights through OpenBLAS's packing whatever its row count (measured: one
    /// 14-token query takes 10 ms where 14 tokens of a 64-query batch take 4 ms, so a pass costs
    /// about 20 tokens at 1 thread, 40 at 2). Splitting a batch pays only beyond this much
    /// padding.
    static let passCostInTokens = 64

    /// Groups texts of these token counts into forward passes: sorted by length, each group at
    /// most `maximumBatchSize` texts, and a new group started when the next (longer) text would
    /// pad the group by more than an eighth of its real tokens plus `passCostInTokens`. Returns
    /// the indices of each group, shortest texts first; every index appears once.
    ///
    /// Why: a batch is padded to its longest text, and padded positions cost as much as real
    /// ones in every layer: one 256-token text among 63 queries of 15 tokens would otherwise
    /// multiply the work by 12. Texts of similar lengths (the benchmark's 13–17 tokens) stay in
    /// one pass, where larger products run faster than several small ones.
    static func lengthGroups(lengths: [Int], maximumBatchSize: Int) -> [[Int]] {
        let order = lengths.indices.sorted { (lengths[$0], $0) < (lengths[$1], $1) }
        var groups: [[Int]] = []
        var current: [Int] = []
        var realTokens = 0
        for index in order {
            let length = lengths[index]
            let paddedTokens = length * (current.count + 1)
            let allowedPadding = (realTokens + length) / 8 + Self.passCostInTokens
            if !current.isEmpty
                && (current.count == maximumBatchSize
                    || paddedTokens - (realTokens + length) > allowedPadding)
            {
                groups.append(current)
                current = []
                realTokens = 0
            }
            current.append(index)
            realTokens += length
        }
        if !current.isEmpty { groups.append(current) }
        return groups
    }
}

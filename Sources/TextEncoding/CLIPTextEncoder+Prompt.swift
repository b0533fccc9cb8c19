import NeuralNet
import Tensors

/// Context prompts on CLIP's text side, in the style of CoOp: `length` learned vectors take the
/// place of hand-written context words ("a video of") between the start token and the query:
///
///     [<|startoftext|>] [P₁ … Pₙ] [query tokens] [<|endoftext|>]
///
/// The query is truncated to `maximumPositions − n` tokens (start and end included), so the
/// whole sequence fits CLIP's positions; the end-of-text token, where the text embedding is
/// pooled, moves n positions right. CLIP stays frozen: only the prompt vectors get gradients.
extension CLIPTextEncoder {
    /// A soft prompt of the text tower's width under `parameters`, started from rows of CLIP's
    /// token-embedding table: `.text(s)` takes the tokens of `s` without the start and end tokens
    /// (CoOp's initialisation), repeated to fill `length`; the other initialisations as for
    /// MiniLM (`SoftPrompt.vocabularyRows`).
    public func softPrompt(_ configuration: SoftPrompt.Configuration, parameters: ParameterScope)
        -> SoftPrompt
    {
        precondition(
            configuration.length > 0
                && configuration.length <= model.configuration.maximumPositions - 2,
            "CLIPTextEncoder.softPrompt: length \(configuration.length) leaves no room in"
                + " \(model.configuration.maximumPositions) positions")
        return SoftPrompt(
            configuration, parameters: parameters,
            initialValues: promptRows(configuration.initialization, count: configuration.length)
                .map { rows in
                    withGradientsDisabled {
                        model.tokenEmbedding.weight.indexSelect(rows).scalars
                    }
                }, hiddenSize: hiddenSize)
    }

    /// The token-embedding rows `initialization` picks for `count` prompt vectors, or nil
    /// (`.uniform`).
    public func promptRows(_ initialization: SoftPrompt.Initialization, count: Int) -> [Int]? {
        guard case .text(let text) = initialization else {
            return SoftPrompt.vocabularyRows(
                initialization, count: count, vocabularySize: model.configuration.vocabularySize,
                tokenizer: nil)
        }
        let words = Array(tokenizer.encode(text).tokenIDs.dropFirst().dropLast())
        let ids = words.isEmpty ? [tokenizer.endOfTextID] : words
        return (0..<count).map { ids[$0 % ids.count] }
    }

    /// The queries' final states with `prompt` after the start token, on the tape (only the
    /// prompt receives gradients; use an evaluation or training context alike: CLIP has no
    /// dropout). One padded batch.
    public func promptedStates(_ texts: [String], prompt: SoftPrompt) -> CLIPPromptedStates {
        let length = prompt.length
        let hidden = hiddenSize
        precondition(
            prompt.vectors.shape == [length, hidden],
            "CLIPTextEncoder.promptedStates: prompt \(prompt.vectors.shape), width \(hidden)")
        let shortened = CLIPTokenizer(
            vocabulary: tokenizer.vocabulary,
            contextLength: model.configuration.maximumPositions - length)
        let batch = shortened.encode(batch: texts)
        let (rows, tokens) = (batch.batchSize, batch.sequenceLength)
        let words = model.tokenEmbeddings(batch.tokenIDs, batch: rows, tokens: tokens)
        let vectors = prompt.vectors.reshaped(to: [1, length, hidden])
            .expanded(to: [rows, length, hidden])
        let inputs = Tensor.concatenate(
            [
                words.slice(axis: 1, range: 0..<1), vectors,
                words.slice(axis: 1, range: 1..<tokens),
            ], axis: 1)  // [rows, 1 + length + tokens − 1, hidden]
        let states = model.states(ofInputEmbeddings: inputs)
        let endOfText = CLIPTextModel.endOfTextPositions(
            of: batch.tokenIDs, batch: rows, tokens: tokens, endOfTextID: tokenizer.endOfTextID)
        return CLIPPromptedStates(
            states: states, batch: batch, promptLength: length,
            endOfTextPositions: endOfText.map { $0 + length })
    }
}

/// The output of `CLIPTextEncoder.promptedStates`: the final states of every position, prompt
/// rows included, and where each row's end-of-text token now sits.
public struct CLIPPromptedStates {
    /// `[batch, 1 + promptLength + tokens − 1, hidden]`: the start token, the prompt, the rest.
    public let states: Tensor
    /// The queries' tokens, padded (without the prompt).
    public let batch: EncodedBatch
    /// The number of prompt vectors.
    public let promptLength: Int
    /// Each row's end-of-text position in `states` (its position among the tokens + the prompt's
    /// length).
    public let endOfTextPositions: [Int]

    /// The states of the query tokens only, the prompt's rows left out, on the tape:
    /// `[batch, tokens, hidden]`, aligned with `batch`.
    public var tokenStates: Tensor {
        let total = states.shape[1]
        return Tensor.concatenate(
            [
                states.slice(axis: 1, range: 0..<1),
                states.slice(axis: 1, range: (1 + promptLength)..<total),
            ], axis: 1)
    }
}

extension SoftPrompt {
    /// A prompt whose `[length, hiddenSize]` vectors start at `initialValues`, or uniform in
    /// ±`uniformBound` when nil.
    init(
        _ configuration: Configuration, parameters: ParameterScope, initialValues: [Float]?,
        hiddenSize: Int
    ) {
        vectors = parameters.parameter(
            "embedding.weight", shape: [configuration.length, hiddenSize], role: .prompt,
            initializer: initialValues.map { .values($0) } ?? .uniform(bound: Self.uniformBound))
        self.configuration = configuration
    }
}

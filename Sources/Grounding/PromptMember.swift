import NeuralNet
import Tensors
import TextEncoding

/// One member of a prompt ensemble: its soft prompts and the span head that reads them.
public struct PromptMember {
    /// Virtual tokens in front of every query in the text encoder.
    public let textPrompt: SoftPrompt?
    /// Tokens after [CLS] at the fusion input, `[n, hidden]`.
    public let fusionPrompt: Tensor?
    /// Tokens at every fusion layer's input, `[layers, m, hidden]`.
    public let deepPrompt: Tensor?
    /// The head (the model's own, or the member's in an `average` ensemble).
    public let head: SpanHead
    /// The MLP that computes the fusion and deep prompts while training, when they are
    /// reparameterised (`PromptTuningConfiguration.encoderWidth`).
    public let encoder: PromptEncoder?
    /// How the fusion and deep prompts are rescaled before the layers read them.
    public let normalization: PromptNormalization?

    /// The fusion and deep prompts draw their vocabulary rows from the run's seed plus this
    /// offset (the text prompt uses the seed itself), so that the two never start from the
    /// same rows.
    static let fusionRowSeedOffset: UInt64 = 1

    /// Builds member `index` of `prompts` under `prompt.index` in `parameters`, in a fixed order
    /// (text prompt, fusion prompt, deep prompt, head) so that a seeded store initialises it
    /// the same way every time.
    ///
    /// Initialisation: the text prompt from the text encoder's word vectors (or uniform); the
    /// fusion and deep prompts start as word vectors through the model's (pre-trained) text
    /// projection, tokens the fusion layers already know how to read, or uniform in
    /// [−0.5, 0.5).
    init(
        index: Int, of prompts: PromptTuningConfiguration, model: GroundingModel,
        parameters: ParameterStore, textEncoder: any QueryEncoder, seed: UInt64
    ) {
        let scope = parameters.scope("\(GroundingNetwork.promptPrefix).\(index)")
        let hidden = model.configuration.hiddenSize
        let layers = model.configuration.fusionLayerCount
        textPrompt =
            prompts.textPromptLength > 0
            ? textEncoder.textPrompt(
                .init(
                    length: prompts.textPromptLength,
                    initialization: prompts.initialization.softPromptInitialization(
                        member: index, length: prompts.textPromptLength, seed: seed)),
                parameters: scope.scope("text"))
            : nil
        let fusionCount = prompts.fusionPromptLength
        let deepCount = layers * prompts.deepPromptLength
        var projected: [Float]?
        if prompts.initialization != .uniform,
            let words = textEncoder.wordVectors(
                prompts.initialization.softPromptInitialization(
                    member: index, length: fusionCount + deepCount,
                    seed: seed &+ Self.fusionRowSeedOffset),
                count: fusionCount + deepCount)
        {
            projected = withGradientsDisabled { model.textProjection(words).scalars }
        }
        func prompt(_ name: String, shape: [Int], offset: Int) -> Tensor? {
            let count = shape.reduce(1, *)
            guard count > 0 else { return nil }
            let initializer: ParameterInitializer =
                projected.map {
                    .values(Array($0[(offset * hidden)..<(offset * hidden + count)]))
                } ?? .uniform(bound: SoftPrompt.uniformBound)
            return scope.parameter(
                "\(name).embedding.weight", shape: shape, role: .prompt, initializer: initializer)
        }
        fusionPrompt = prompt("fusion", shape: [fusionCount, hidden], offset: 0)
        deepPrompt = prompt(
            "deep", shape: [layers, prompts.deepPromptLength, hidden], offset: fusionCount)
        let separateHead = index > 0 && prompts.count > 1 && prompts.ensemble == .average
        head =
            separateHead
            ? SpanHead(hiddenSize: hidden, width: model.configuration.headWidth, parameters: scope)
            : model.head
        if let width = prompts.encoderWidth {
            encoder = PromptEncoder(
                member: index, width: width, hiddenSize: hidden, fusion: fusionPrompt,
                deep: deepPrompt, parameters: parameters)
        } else {
            encoder = nil
        }
        normalization = prompts.normalization
    }

    /// The fusion prompt the layers read: through the encoder while training (when there is
    /// one), else the stored vectors; rescaled by `normalization`.
    func fusionVectors(isTraining: Bool) -> Tensor? {
        let vectors = isTraining ? (encoder?.fusion ?? fusionPrompt) : fusionPrompt
        return vectors.map { normalization?($0) ?? $0 }
    }

    /// The deep prompts the layers read, as `fusionVectors(isTraining:)`.
    func deepVectors(isTraining: Bool) -> Tensor? {
        let vectors = isTraining ? (encoder?.deep ?? deepPrompt) : deepPrompt
        return vectors.map { normalization?($0) ?? $0 }
    }

    /// Stores the encoder's output as the member's plain prompt vectors (nothing without an
    /// encoder).
    func refreshEncodedPrompts() {
        guard let encoder else { return }
        withGradientsDisabled {
            if let fusion = encoder.fusion { fusionPrompt?.assign(fusion) }
            if let deep = encoder.deep { deepPrompt?.assign(deep) }
        }
    }

    /// True for the plain fusion and deep prompt tensors, which a member with an encoder
    /// stores rather than trains.
    static func isEncodedPrompt(_ path: String) -> Bool {
        path.hasPrefix(GroundingNetwork.promptPrefix + ".")
            && (path.hasSuffix(".fusion.embedding.weight")
                || path.hasSuffix(".deep.embedding.weight"))
    }
}

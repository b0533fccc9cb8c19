import NeuralNet
import Tensors

/// The per-clip logits a grounding model produces for a batch, all `[batch, clips]`.
public struct GroundingLogits {
    /// Start logits; padded clips hold a large negative value.
    public var start: Tensor
    /// End logits; padded clips hold a large negative value.
    public var end: Tensor
    /// Inside-the-moment logits (query-guided highlighting).
    public var inside: Tensor
    /// The fused [CLS] state `[batch, hidden]` (used by video-text matching).
    public var classification: Tensor
}

/// The video-text fusion model: clip features and frozen text token states in, per-clip start,
/// end and inside logits out.
///
/// ```
/// clips [B, T, F] ─► Linear(F→d) + positions ─► LayerNorm ─► dropout ─► video layers ─┐
/// text states [B, L, 384] ─► Linear(384→d) ─► sentence mean s; video += Linear(video ⊙ s) ┤
///                       [CLS] + video + text (+ modality embeddings) ─► fusion layers ◄┘
///   video tokens ─► inside head (Linear, ReLU, Linear → 1) ─► gate σ(inside) ─► span head (→ 2)
/// ```
/// Parameter paths: `video.projection`, `video.position_embeddings`, `video.LayerNorm`,
/// `video.encoder.layer.N…`, `text.projection`, `fusion.cls_token`,
/// `fusion.query_interaction`, `fusion.modality_embeddings`, `fusion.LayerNorm`,
/// `fusion.encoder.layer.N…`,
/// `inside_head.dense`, `inside_head.output`, `span_head.dense`, `span_head.output`.
public struct GroundingModel {
    public let configuration: GroundingModelConfiguration
    let videoProjection: Linear
    let videoPositions: LearnedPositionEmbedding
    let videoNorm: LayerNorm
    let videoEncoder: TransformerEncoder?
    let textProjection: Linear
    let scratchText: (words: Embedding, positions: LearnedPositionEmbedding, encoder: TransformerEncoder)?
    let classToken: Tensor
    let queryInteraction: Linear
    let modalityEmbeddings: Embedding
    let fusionNorm: LayerNorm
    let fusionEncoder: TransformerEncoder
    let insideHidden: Linear
    let insideOutput: Linear
    let spanHidden: Linear
    let spanOutput: Linear
    let dropout: Dropout

    /// The value given to padded clips' start and end logits: far below any real logit, yet
    /// finite, so that 0 · value stays 0 in every backward product.
    static let paddedLogit: Float = -1e9

    /// Positions of the from-scratch text encoder (BERT's tokenizer truncates at 256).
    static let maxScratchTokens = 256

    /// Modality rows of `fusion.modality_embeddings`.
    enum Modality: Int {
        case classification = 0, video = 1, text = 2
    }

    /// Builds the model under `parameters` (initialised from its seed, or taken from loaded
    /// weights).
    public init(_ configuration: GroundingModelConfiguration, parameters: ParameterScope) {
        self.configuration = configuration
        let hidden = configuration.hiddenSize
        let normal = Initialization.normal(standardDeviation: 0.02)
        let video = parameters.scope("video")
        videoProjection = Linear(
            .init(inputSize: configuration.featureDimension, outputSize: hidden),
            parameters: video.scope("projection"))
        videoPositions = LearnedPositionEmbedding(
            .init(count: configuration.maxClips, size: hidden, initialization: normal),
            parameters: video.scope("position_embeddings"))
        videoNorm = LayerNorm(.init(size: hidden), parameters: video.scope("LayerNorm"))
        let layer = TransformerEncoderLayer.Configuration(
            hiddenSize: hidden, headCount: configuration.headCount,
            intermediateSize: configuration.intermediateSize, layerNormEpsilon: 1e-5,
            hiddenDropout: configuration.dropout)
        videoEncoder = configuration.videoLayerCount > 0
            ? TransformerEncoder(
                .init(layerCount: configuration.videoLayerCount, layer: layer,
                    attentionDropout: .constant(.dropKey(probability: 0.1))),
                parameters: video.scope("encoder"))
            : nil
        textProjection = Linear(
            .init(inputSize: configuration.textStateSize, outputSize: hidden),
            parameters: parameters.scope("text.projection"))
        if let vocabulary = configuration.scratchTextVocabularySize {
            let text = parameters.scope("text.scratch")
            scratchText = (
                Embedding(.init(count: vocabulary, size: hidden, initialization: normal),
                    parameters: text.scope("word_embeddings")),
                LearnedPositionEmbedding(
                    .init(count: Self.maxScratchTokens, size: hidden, initialization: normal),
                    parameters: text.scope("position_embeddings")),
                TransformerEncoder(
                    .init(layerCount: max(configuration.scratchTextLayerCount ?? 1, 1),
                        layer: layer),
                    parameters: text.scope("encoder")))
        } else {
            scratchText = nil
        }
        let fusion = parameters.scope("fusion")
        classToken = fusion.parameter(
            "cls_token", shape: [1, 1, hidden], role: .embedding,
            initializer: .normal(standardDeviation: 0.02))
        queryInteraction = Linear(
            .init(inputSize: hidden, outputSize: hidden),
            parameters: fusion.scope("query_interaction"))
        modalityEmbeddings = Embedding(
            .init(count: 3, size: hidden, initialization: normal),
            parameters: fusion.scope("modality_embeddings"))
        fusionNorm = LayerNorm(.init(size: hidden), parameters: fusion.scope("LayerNorm"))
        fusionEncoder = TransformerEncoder(
            .init(layerCount: configuration.fusionLayerCount, layer: layer,
                attentionDropout: configuration.fusionAttentionDropout),
            parameters: fusion.scope("encoder"))
        insideHidden = Linear(
            .init(inputSize: hidden, outputSize: hidden),
            parameters: parameters.scope("inside_head.dense"))
        insideOutput = Linear(
            .init(inputSize: hidden, outputSize: 1), parameters: parameters.scope("inside_head.output"))
        spanHidden = Linear(
            .init(inputSize: hidden, outputSize: hidden), parameters: parameters.scope("span_head.dense"))
        spanOutput = Linear(
            .init(inputSize: hidden, outputSize: 2), parameters: parameters.scope("span_head.output"))
        dropout = Dropout(probability: configuration.dropout)
    }

    /// Encodes the clips alone: `[batch, clips, featureDimension]` → `[batch, clips, hidden]`.
    public func encodeVideo(_ batch: GroundingBatch, context: inout ForwardContext) -> Tensor {
        let clips = batch.clipCount
        precondition(clips <= configuration.maxClips,
            "GroundingModel: \(clips) clips exceed maxClips \(configuration.maxClips)")
        var video = videoProjection(batch.clipFeatures) + videoPositions(length: clips)
        video = dropout(videoNorm(video), context: &context)
        if let videoEncoder {
            video = videoEncoder(video, validMask: batch.clipMask, context: &context)
        }
        return video
    }

    /// The text tokens `[batch, tokens, hidden]`: frozen MiniLM states projected to the model's
    /// width, or the from-scratch encoder over the token ids.
    func encodeText(_ batch: GroundingBatch, context: inout ForwardContext) -> Tensor {
        guard let scratchText else { return textProjection(batch.textStates) }
        precondition(!batch.textTokenIDs.isEmpty,
            "GroundingModel: the scratch text encoder needs token ids (WordPieceQueryEncoder)")
        let tokens = batch.textMask.shape[1]
        let embedded = scratchText.words(batch.textTokenIDs, shape: [batch.size, tokens])
            + scratchText.positions(length: tokens)
        return scratchText.encoder(
            dropout(embedded, context: &context), validMask: batch.textMask, context: &context)
    }

    /// The fusion transformer over [CLS] + `video` + text (plus optional extra tokens placed
    /// after [CLS], e.g. soft prompts): returns the fused sequence `[batch, 1 + extra + clips +
    /// words, hidden]`.
    public func fuse(
        video: Tensor, batch: GroundingBatch, extraTokens: Tensor? = nil,
        context: inout ForwardContext
    ) -> Tensor {
        let batchSize = batch.size
        let hidden = configuration.hiddenSize
        let text = encodeText(batch, context: &context)
        let modality = { (kind: Modality) in
            modalityEmbeddings([kind.rawValue], shape: [1, 1])  // [1, 1, hidden]
        }
        let classification = classToken.expanded(to: [batchSize, 1, hidden])
            + modality(.classification)
        var parts = [classification]
        var maskParts = [Mask(shape: [batchSize, 1], values: .init(repeating: true, count: batchSize))]
        if let extraTokens {
            parts.append(extraTokens)
            let extra = extraTokens.shape[1]
            maskParts.append(
                Mask(shape: [batchSize, extra], values: .init(repeating: true, count: batchSize * extra)))
        }
        // The clip-by-query product exposes the match of each clip with the sentence (the mean
        // of its real tokens) to every later layer directly, as the v ⊙ q features of
        // context-query attention (VSLNet) do; attention alone passes on only a weighted sum of
        // text states, not how well they matched.
        let textWeights = batch.textMask.asTensor.reshaped(to: [batchSize, -1, 1])
        let tokenCounts = textWeights.sum(axis: 1, keepingDimensions: true)  // [batch, 1, 1]
        let sentence = (text * textWeights).sum(axis: 1, keepingDimensions: true) / tokenCounts
        let matched = video + queryInteraction(video * sentence)
        parts.append(matched + modality(.video))
        maskParts.append(batch.clipMask)
        parts.append(text + modality(.text))
        maskParts.append(batch.textMask)
        let sequence = dropout(fusionNorm(Tensor.concatenate(parts, axis: 1)), context: &context)
        let validMask = Mask.concatenated(maskParts, axis: 1)
        return fusionEncoder(sequence, validMask: validMask, context: &context)
    }

    /// The heads on the fused video tokens `[batch, clips, hidden]`: the inside-the-moment
    /// logit per clip, then start and end logits from the tokens gated by σ(inside), as
    /// VSLNet's query-guided highlighting does: boundaries are looked for where the query
    /// matches, and the boundary losses also train the match.
    public func spanLogits(
        fusedVideo: Tensor, classification: Tensor, batch: GroundingBatch
    ) -> GroundingLogits {
        let shape = [batch.size, batch.clipCount]
        let inside = insideOutput(insideHidden(fusedVideo).relu())  // [batch, clips, 1]
        let gated = fusedVideo * inside.sigmoid()
        let boundaries = spanOutput(spanHidden(gated).relu())  // [batch, clips, 2]
        let padded = batch.clipMask.inverted
        func channel(_ index: Int) -> Tensor {
            boundaries.slice(axis: 2, range: index..<(index + 1)).reshaped(to: shape)
        }
        return GroundingLogits(
            start: channel(0).maskedFill(padded, with: Self.paddedLogit),
            end: channel(1).maskedFill(padded, with: Self.paddedLogit),
            inside: inside.reshaped(to: shape),
            classification: classification)
    }

    /// The full forward pass.
    public func callAsFunction(_ batch: GroundingBatch, context: inout ForwardContext)
        -> GroundingLogits
    {
        let video = encodeVideo(batch, context: &context)
        let fused = fuse(video: video, batch: batch, context: &context)
        let clips = batch.clipCount
        let fusedVideo = fused.slice(axis: 1, range: 1..<(1 + clips))
        let classification = fused.slice(axis: 1, range: 0..<1)
            .reshaped(to: [batch.size, configuration.hiddenSize])
        return spanLogits(fusedVideo: fusedVideo, classification: classification, batch: batch)
    }
}

extension Mask {
    /// Joins `[batch, length]` masks along their second axis.
    static func concatenated(_ masks: [Mask], axis: Int) -> Mask {
        precondition(axis == 1 && masks.allSatisfy { $0.shape.count == 2 }
            && Set(masks.map { $0.shape[0] }).count == 1,
            "Mask.concatenated: needs [batch, length] masks joined on axis 1, got \(masks.map(\.shape))")
        let batch = masks[0].shape[0]
        var values: [Bool] = []
        for row in 0..<batch {
            for mask in masks {
                let length = mask.shape[1]
                values += mask.values[(row * length)..<((row + 1) * length)]
            }
        }
        return Mask(shape: [batch, masks.reduce(0) { $0 + $1.shape[1] }], values: values)
    }
}

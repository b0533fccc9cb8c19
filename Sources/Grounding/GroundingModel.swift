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
/// Soft prompts (`PromptInputs`) can join the fusion input, every fusion layer, and the text.
/// Parameter paths: `video.projection`, `video.position_embeddings`, `video.LayerNorm`,
/// `video.encoder.layer.N…`, `text.projection`, `fusion.cls_token`,
/// `fusion.query_interaction`, `fusion.modality_embeddings`, `fusion.LayerNorm`,
/// `fusion.encoder.layer.N…`,
/// `inside_head.dense`, `inside_head.output`, `span_head.dense`, `span_head.output`.
public struct GroundingModel {
    /// The shape the model was built with.
    public let configuration: GroundingModelConfiguration
    var videoProjection: Linear
    let videoPositions: LearnedPositionEmbedding
    let videoNorm: LayerNorm
    var videoEncoder: TransformerEncoder?
    var textProjection: Linear
    var scratchText:
        (words: Embedding, positions: LearnedPositionEmbedding, encoder: TransformerEncoder)?
    let classToken: Tensor
    var queryInteraction: Linear
    let modalityEmbeddings: Embedding
    let fusionNorm: LayerNorm
    var fusionEncoder: TransformerEncoder
    /// The span head at the model's root (`inside_head.*`, `span_head.*`).
    public internal(set) var head: SpanHead
    let dropout: Dropout

    /// The top-level path components of the pre-trained backbone: everything but the heads
    /// and prompts.
    public static let backbonePrefixes = ["video", "text", "fusion"]

    /// Positions of the from-scratch text encoder (BERT's tokenizer truncates at 256).
    static let maxScratchTokens = 256

    /// Embeddings, positions and the [CLS] token start ~ N(0, this²) (BERT's initialiser range).
    static let initialStandardDeviation: Float = 0.02

    /// The epsilon of every transformer layer's LayerNorms.
    static let layerNormEpsilon: Float = 1e-5

    /// Modality rows of `fusion.modality_embeddings`.
    enum Modality: Int, CaseIterable {
        case classification = 0
        case video = 1
        case text = 2
    }

    /// Builds the model under `parameters` (initialised from its seed, or taken from loaded
    /// weights).
    public init(_ configuration: GroundingModelConfiguration, parameters: ParameterScope) {
        self.configuration = configuration
        let hidden = configuration.hiddenSize
        let normal = WeightInitialization.normal(standardDeviation: Self.initialStandardDeviation)
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
            intermediateSize: configuration.intermediateSize,
            layerNormEpsilon: Self.layerNormEpsilon,
            hiddenDropout: configuration.dropout)
        videoEncoder =
            configuration.videoLayerCount > 0
            ? TransformerEncoder(
                .init(
                    layerCount: configuration.videoLayerCount, layer: layer,
                    attentionDropout: configuration.videoAttentionDropout),
                parameters: video.scope("encoder"))
            : nil
        textProjection = Linear(
            .init(inputSize: configuration.textStateSize, outputSize: hidden),
            parameters: parameters.scope("text.projection"))
        if let vocabulary = configuration.scratchTextVocabularySize {
            let text = parameters.scope("text.scratch")
            scratchText = (
                Embedding(
                    .init(count: vocabulary, size: hidden, initialization: normal),
                    parameters: text.scope("word_embeddings")),
                LearnedPositionEmbedding(
                    .init(count: Self.maxScratchTokens, size: hidden, initialization: normal),
                    parameters: text.scope("position_embeddings")),
                TransformerEncoder(
                    .init(
                        layerCount: max(configuration.scratchTextLayerCount ?? 1, 1),
                        layer: layer),
                    parameters: text.scope("encoder"))
            )
        } else {
            scratchText = nil
        }
        let fusion = parameters.scope("fusion")
        classToken = fusion.parameter(
            "cls_token", shape: [1, 1, hidden], role: .embedding,
            initializer: .normal(standardDeviation: Self.initialStandardDeviation))
        queryInteraction = Linear(
            .init(inputSize: hidden, outputSize: hidden),
            parameters: fusion.scope("query_interaction"))
        modalityEmbeddings = Embedding(
            .init(count: Modality.allCases.count, size: hidden, initialization: normal),
            parameters: fusion.scope("modality_embeddings"))
        fusionNorm = LayerNorm(.init(size: hidden), parameters: fusion.scope("LayerNorm"))
        fusionEncoder = TransformerEncoder(
            .init(
                layerCount: configuration.fusionLayerCount, layer: layer,
                attentionDropout: configuration.fusionAttentionDropout),
            parameters: fusion.scope("encoder"))
        head = SpanHead(
            hiddenSize: hidden, width: configuration.headWidth, parameters: parameters)
        dropout = Dropout(probability: configuration.dropout)
    }

    /// Encodes the clips alone: `[batch, clips, featureDimension]` → `[batch, clips, hidden]`.
    /// In evaluation, rows of one video (several queries about it) are encoded once: a row's
    /// encoding depends only on its own clips, so the copies are the same bits.
    public func encodeVideo(_ batch: GroundingBatch, context: inout ForwardContext) -> Tensor {
        let clips = batch.clipCount
        precondition(
            clips <= configuration.maxClips,
            "GroundingModel: \(clips) clips exceed maxClips \(configuration.maxClips)")
        if !context.isTraining, let groups = batch.sameVideoRows() {
            let rows = groups.representatives
            let clipMask = Mask(
                shape: [rows.count, clips],
                values: rows.flatMap { batch.clipMask.values[($0 * clips)..<(($0 + 1) * clips)] })
            let distinct = encodeVideo(
                clipFeatures: batch.clipFeatures.indexSelect(rows), clipMask: clipMask,
                firstClipPositions: batch.firstClipPositions.map { first in rows.map { first[$0] }
                },
                context: &context)
            return distinct.indexSelect(groups.groupOfRow)
        }
        return encodeVideo(
            clipFeatures: batch.clipFeatures, clipMask: batch.clipMask,
            firstClipPositions: batch.firstClipPositions, context: &context)
    }

    /// `encodeVideo` of clip features `[rows, clips, featureDimension]` with their mask and
    /// first positions.
    func encodeVideo(
        clipFeatures: Tensor, clipMask: Mask, firstClipPositions: [Int]?,
        context: inout ForwardContext
    ) -> Tensor {
        let (rows, clips) = (clipFeatures.shape[0], clipFeatures.shape[1])
        let positions: Tensor
        if let first = firstClipPositions {
            let last = configuration.maxClips - 1
            let ids = first.flatMap { start in (0..<clips).map { min(start + $0, last) } }
            // [rows, clips, hidden]
            positions = videoPositions.table(ids, shape: [rows, clips])
        } else {
            positions = videoPositions(length: clips)
        }
        // Padded clips skip the projection (see `RowSelection`); as before, without the
        // training context (a low-rank update on it has no dropout).
        var projection = ForwardContext.evaluation
        var video =
            videoProjection(
                clipFeatures, rows: RowSelection(keeping: clipMask), context: &projection)
            + positions
        video = dropout(videoNorm(video), context: &context)
        if let videoEncoder {
            video = videoEncoder(video, validMask: clipMask, context: &context)
        }
        return video
    }

    /// The text tokens `[batch, tokens, hidden]`: frozen MiniLM states projected to the model's
    /// width, or the from-scratch encoder over the token ids.
    func encodeText(
        _ batch: GroundingBatch, textStates: Tensor?, context: inout ForwardContext
    ) -> Tensor {
        if let textStates { return textProjection(textStates) }
        guard let scratchText else { return textProjection(batch.textStates) }
        precondition(
            !batch.textTokenIDs.isEmpty,
            "GroundingModel: the scratch text encoder needs token ids (WordPieceQueryEncoder)")
        let tokens = batch.textMask.shape[1]
        let embedded =
            scratchText.words(batch.textTokenIDs, shape: [batch.size, tokens])
            + scratchText.positions(length: tokens)
        return scratchText.encoder(
            dropout(embedded, context: &context), validMask: batch.textMask, context: &context)
    }

    /// The fusion transformer over [CLS] + prompts + `video` + text: returns the fused sequence
    /// `[batch, 1 + prompts.tokenCount + clips + words, hidden]`.
    ///
    /// Prompts: `prompts.fusion` `[batch, n, hidden]` sits after [CLS] in the input (normalised
    /// with the rest, as peft's prompts join the input embeddings); `prompts.deep[l]`
    /// `[batch, m, hidden]` fills the next m positions at the input of fusion layer l, replacing
    /// what the previous layer left there (deep prompt tuning). `prompts.textStates`
    /// `[batch, words, textStateSize]` replaces the batch's cached text states (a prompted text
    /// encoder on the tape).
    ///
    /// `onLayer`, when given, receives every fusion layer's output in order (what a side
    /// network reads).
    public func fuse(
        video: Tensor, batch: GroundingBatch, prompts: PromptInputs = PromptInputs(),
        onLayer: ((Tensor) -> Void)? = nil, context: inout ForwardContext
    ) -> Tensor {
        let batchSize = batch.size
        let hidden = configuration.hiddenSize
        let text = encodeText(batch, textStates: prompts.textStates, context: &context)
        let modality = { (kind: Modality) in
            modalityEmbeddings([kind.rawValue], shape: [1, 1])  // [1, 1, hidden]
        }
        let allValid = { (length: Int) in
            Mask(
                shape: [batchSize, length],
                values: .init(repeating: true, count: batchSize * length))
        }
        let classification =
            classToken.expanded(to: [batchSize, 1, hidden])
            + modality(.classification)
        var parts = [classification]
        var maskParts = [allValid(1)]
        if let fusion = prompts.fusion {
            parts.append(fusion)
            maskParts.append(allValid(fusion.shape[1]))
        }
        let deepLength = prompts.deep.first?.shape[1] ?? 0
        precondition(
            prompts.deep.isEmpty || prompts.deep.count == fusionEncoder.layers.count,
            "GroundingModel.fuse: \(prompts.deep.count) deep prompts for "
                + "\(fusionEncoder.layers.count) fusion layers"
        )
        if deepLength > 0 { maskParts.append(allValid(deepLength)) }
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
        var sequence = dropout(fusionNorm(Tensor.concatenate(parts, axis: 1)), context: &context)
        let validMask = Mask.concatenated(maskParts, axis: 1)
        guard deepLength > 0 else {
            guard let onLayer else {
                return fusionEncoder(sequence, validMask: validMask, context: &context)
            }
            // Layer by layer, as the encoder runs them, handing each output on.
            let bias = MultiHeadAttention.additiveBias(keyValidMask: validMask)
            let rows = RowSelection(keeping: validMask)
            for layer in fusionEncoder.layers {
                sequence = layer(sequence, attentionBias: bias, keptRows: rows, context: &context)
                onLayer(sequence)
            }
            return fusionEncoder.finalNorm.map { $0(sequence) } ?? sequence
        }
        // Deep prompts: run the layers one by one, putting layer l's prompt at positions
        // [deepStart, deepStart + m) of its input.
        let bias = MultiHeadAttention.additiveBias(keyValidMask: validMask)
        let rows = RowSelection(keeping: validMask)
        let deepStart = 1 + (prompts.fusion?.shape[1] ?? 0)
        for (index, (layer, deep)) in zip(fusionEncoder.layers, prompts.deep).enumerated() {
            let length = sequence.shape[1]
            let before = sequence.slice(axis: 1, range: 0..<deepStart)
            let after =
                index == 0
                ? sequence.slice(axis: 1, range: deepStart..<length)
                : sequence.slice(axis: 1, range: (deepStart + deepLength)..<length)
            sequence = layer(
                Tensor.concatenate([before, deep, after], axis: 1), attentionBias: bias,
                keptRows: rows, context: &context)
            onLayer?(sequence)
        }
        return fusionEncoder.finalNorm.map { $0(sequence) } ?? sequence
    }

    /// The fused [CLS] state `[batch, hidden]` (what the video-text matching heads read).
    public func classificationState(
        _ batch: GroundingBatch, prompts: PromptInputs = PromptInputs(),
        context: inout ForwardContext
    ) -> Tensor {
        let fused = fuse(
            video: encodeVideo(batch, context: &context), batch: batch, prompts: prompts,
            context: &context)
        return fused.slice(axis: 1, range: 0..<1).reshaped(to: [
            batch.size, configuration.hiddenSize,
        ])
    }

    /// The full forward pass, through `head` (default: the model's own span head); with
    /// `side`, the side network refines the video tokens the head reads from every fusion
    /// layer's states.
    public func callAsFunction(
        _ batch: GroundingBatch, prompts: PromptInputs = PromptInputs(), head: SpanHead? = nil,
        side: SideNetwork? = nil, context: inout ForwardContext
    ) -> GroundingLogits {
        let video = encodeVideo(batch, context: &context)
        var layerStates: [Tensor] = []
        let fused = fuse(
            video: video, batch: batch, prompts: prompts,
            onLayer: side == nil ? nil : { layerStates.append($0) }, context: &context)
        let clips = batch.clipCount
        let videoStart = 1 + prompts.tokenCount
        var fusedVideo = fused.slice(axis: 1, range: videoStart..<(videoStart + clips))
        if let side {
            // The last layer's state as the head would see it (after any final norm).
            let states = layerStates.dropLast() + [fused]
            fusedVideo = side(
                videoStates: states.map {
                    $0.slice(axis: 1, range: videoStart..<(videoStart + clips))
                },
                sentenceStates: states.map {
                    SideNetwork.sentenceState(
                        $0, textStart: videoStart + clips, textMask: batch.textMask)
                })
        }
        let classification = fused.slice(axis: 1, range: 0..<1)
            .reshaped(to: [batch.size, configuration.hiddenSize])
        return (head ?? self.head)(
            fusedVideo: fusedVideo, classification: classification, batch: batch)
    }
}

/// Soft prompts for one forward pass, already laid out per batch row (see
/// `GroundingModel.fuse`).
public struct PromptInputs {
    /// Prompted text-encoder states `[batch, words, textStateSize]`, replacing the cached ones.
    public var textStates: Tensor?
    /// The mask of `textStates` where it differs from the batch's `textMask` (a query truncated
    /// further under its text prompt), else nil.
    public var textMask: Mask?
    /// Tokens after [CLS] at the fusion input, `[batch, n, hidden]`.
    public var fusion: Tensor?
    /// One `[batch, m, hidden]` tensor per fusion layer, or empty.
    public var deep: [Tensor]

    /// Prompts as given (none by default).
    public init(textStates: Tensor? = nil, fusion: Tensor? = nil, deep: [Tensor] = []) {
        self.textStates = textStates
        self.fusion = fusion
        self.deep = deep
    }

    /// The prompt positions before the video tokens in the fused sequence.
    public var tokenCount: Int { (fusion?.shape[1] ?? 0) + (deep.first?.shape[1] ?? 0) }
}

extension Mask {
    /// Joins `[batch, length]` masks along their second axis.
    static func concatenated(_ masks: [Mask], axis: Int) -> Mask {
        precondition(
            axis == 1 && masks.allSatisfy { $0.shape.count == 2 }
                && Set(masks.map { $0.shape[0] }).count == 1,
            "Mask.concatenated: needs [batch, length] masks joined on axis 1, got "
                + "\(masks.map(\.shape))"
        )
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

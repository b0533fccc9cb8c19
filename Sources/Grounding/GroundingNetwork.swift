import Foundation
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
}

/// A run's whole network: the grounding model, its prompt members, and the frozen text encoder
/// when a text prompt needs it on the tape. Built the same way for training, evaluation and
/// grounding, so that every path (`prompt.K.…`, heads) exists in all three.
///
/// Parameter paths beyond `GroundingModel`'s: `prompt.K.text.embedding.weight`
/// `[textPromptLength, 384]`, `prompt.K.fusion.embedding.weight` `[n, hidden]`,
/// `prompt.K.deep.embedding.weight` `[layers, m, hidden]`, and, for members K ≥ 1 of an
/// `average` ensemble, `prompt.K.inside_head.…` / `prompt.K.span_head.…` (member 0 uses the
/// model's head).
public final class GroundingNetwork {
    /// The run the network was built for.
    public let run: GroundingRunConfiguration
    /// Every tensor of the model, prompts and extra heads.
    public let parameters: ParameterStore
    /// The grounding model (backbone and its own span head).
    public let model: GroundingModel
    /// The prompt members (empty for a run without prompts).
    public let members: [PromptMember]
    /// The MiniLM encoder, kept when a text prompt runs through it.
    let textEncoder: MiniLMEncoder?

    /// The path component under which prompts (and ensemble heads) live.
    public static let promptPrefix = "prompt"

    /// Builds the network of `run` (fresh weights from its seed). With `loadingBackbone`, the
    /// backbone tensors come from `run.backbone` (its checksum verified first; every backbone
    /// tensor must be there), and prompts initialised from vocabulary rows go through the
    /// loaded text projection. A prompt-tuned run freezes the backbone.
    public init(run: GroundingRunConfiguration, queryEncoder: any QueryEncoder, loadingBackbone: Bool)
        throws
    {
        self.run = run
        let seed = run.training.seed
        var backboneSource: String?
        if loadingBackbone, let reference = run.backbone {
            parameters = ParameterStore(
                weights: try Self.backboneWeights(reference), source: reference.path, seed: seed)
            backboneSource = reference.path
        } else {
            parameters = ParameterStore(seed: seed)
        }
        let model = GroundingModel(run.model, parameters: parameters.root)
        let parameters = self.parameters
        self.model = model
        let minilm = (queryEncoder as? MiniLMQueryEncoder)?.encoder
        if let prompts = run.prompts, run.resolvedTuning == .prompt {
            try prompts.validate()
            guard run.model.scratchTextVocabularySize == nil else {
                throw GroundingError.invalidValue(
                    .textEncoder, value: TextEncoderKind.scratch.rawValue,
                    expected: "the frozen MiniLM for prompt tuning")
            }
            // Text prompts run through MiniLM; vocabulary-based starts read its word vectors.
            let needsMiniLM = prompts.textPromptLength > 0 || prompts.initialization != .uniform
            if needsMiniLM, minilm == nil {
                throw GroundingError.invalidCombination(
                    [.textEncoder, .textPromptLength, .promptInitialization],
                    reason: "text prompts and vocabulary-based prompt initialisation need the "
                        + "MiniLM text encoder; start the prompts uniformly with another encoder")
            }
            members = (0..<prompts.count).map { member in
                Self.member(
                    member, of: prompts, model: model, parameters: parameters,
                    minilm: minilm, seed: seed)
            }
            textEncoder = prompts.textPromptLength > 0 ? minilm : nil
        } else {
            members = []
            textEncoder = nil
        }
        if let backboneSource {
            do {
                try parameters.finishLoading(policy: LoadPolicy(
                    allowsMissing: false,
                    missingPrefixes: SpanHead.parameterPrefixes + [Self.promptPrefix]))
            } catch {
                throw GroundingError.corruptRun(
                    path: backboneSource, reason: "not a backbone of this model: \(error)")
            }
        }
        if run.resolvedTuning == .prompt {
            parameters.freeze(where: { Self.isBackbone($0.path) })
        }
    }

    /// True for paths of the pre-trained backbone (video encoder, text projection, fusion).
    public static func isBackbone(_ path: String) -> Bool {
        GroundingModel.backbonePrefixes.contains { path == $0 || path.hasPrefix($0 + ".") }
    }

    /// Which tensors the run's checkpoints hold: everything for full fine-tuning, only the
    /// trained tensors (prompts and heads) for prompt tuning.
    public var checkpointFilter: (ParameterStore.Entry) -> Bool {
        run.resolvedTuning == .prompt ? { !Self.isBackbone($0.path) } : { _ in true }
    }

    /// The load policy for this run's own checkpoints: a prompt-tuned checkpoint lacks the
    /// backbone (it comes from the reference); everything else must be there.
    public var checkpointLoadPolicy: LoadPolicy {
        run.resolvedTuning == .prompt
            ? LoadPolicy(allowsMissing: false, missingPrefixes: GroundingModel.backbonePrefixes)
            : .strict
    }

    private static func member(
        _ index: Int, of prompts: PromptTuningConfiguration, model: GroundingModel,
        parameters: ParameterStore, minilm: MiniLMEncoder?, seed: UInt64
    ) -> PromptMember {
        let scope = parameters.scope("\(promptPrefix).\(index)")
        let hidden = model.configuration.hiddenSize
        let layers = model.configuration.fusionLayerCount
        let textPrompt = prompts.textPromptLength > 0
            ? minilm?.softPrompt(
                .init(
                    length: prompts.textPromptLength,
                    initialization: prompts.initialization.softPromptInitialization(
                        member: index, length: prompts.textPromptLength, seed: seed)),
                parameters: scope.scope("text"))
            : nil
        // Fusion and deep prompts start as word vectors through the (pre-trained) text
        // projection: tokens the fusion layers already know how to read.
        let fusionCount = prompts.fusionPromptLength
        let deepCount = layers * prompts.deepPromptLength
        var projected: [Float]?
        if let minilm, prompts.initialization != .uniform {
            let words = minilm.model.embeddings.wordEmbeddings.weight
            let rows = SoftPrompt.vocabularyRows(
                prompts.initialization.softPromptInitialization(
                    member: index, length: fusionCount + deepCount, seed: seed &+ 1),
                count: fusionCount + deepCount, vocabularySize: words.shape[0],
                tokenizer: minilm.tokenizer)
            projected = rows.map { rows in
                withGradientsDisabled { model.textProjection(words.indexSelect(rows)).scalars }
            }
        }
        func prompt(_ name: String, shape: [Int], offset: Int) -> Tensor? {
            let count = shape.reduce(1, *)
            guard count > 0 else { return nil }
            let initializer: ParameterInitializer = projected.map {
                .values(Array($0[(offset * hidden)..<(offset * hidden + count)]))
            } ?? .uniform(bound: SoftPrompt.uniformBound)
            return scope.parameter(
                "\(name).embedding.weight", shape: shape, role: .prompt, initializer: initializer)
        }
        let separateHead = index > 0 && prompts.count > 1 && prompts.ensemble == .average
        return PromptMember(
            textPrompt: textPrompt,
            fusionPrompt: prompt("fusion", shape: [fusionCount, hidden], offset: 0),
            deepPrompt: prompt(
                "deep", shape: [layers, prompts.deepPromptLength, hidden], offset: fusionCount),
            head: separateHead ? SpanHead(hiddenSize: hidden, parameters: scope) : model.head)
    }

    // MARK: Forward passes

    /// The prompts of `rowMembers` (one member index per batch row) laid out for the batch.
    public func promptInputs(
        for batch: GroundingBatch, rowMembers: [Int], context: inout ForwardContext
    ) -> PromptInputs {
        guard !members.isEmpty else { return PromptInputs() }
        precondition(rowMembers.count == batch.size,
            "GroundingNetwork: \(rowMembers.count) member indices for a batch of \(batch.size)")
        var inputs = PromptInputs()
        if let first = members[0].fusionPrompt {
            let stacked = members.count == 1
                ? first.reshaped(to: [1] + first.shape)
                : Tensor.stack(members.compactMap(\.fusionPrompt))  // [K, n, hidden]
            inputs.fusion = stacked.indexSelect(rowMembers)  // [batch, n, hidden]
        }
        if let first = members[0].deepPrompt {
            let (layers, length, hidden) = (first.shape[0], first.shape[1], first.shape[2])
            let stacked = members.count == 1
                ? first.reshaped(to: [1] + first.shape)
                : Tensor.stack(members.compactMap(\.deepPrompt))  // [K, layers, m, hidden]
            let rows = stacked.indexSelect(rowMembers)  // [batch, layers, m, hidden]
            inputs.deep = (0..<layers).map { layer in
                rows.slice(axis: 1, range: layer..<(layer + 1))
                    .reshaped(to: [batch.size, length, hidden])
            }
        }
        if let textEncoder {
            inputs.textStates = promptedTextStates(
                batch, rowMembers: rowMembers, encoder: textEncoder, context: &context)
        }
        return inputs
    }

    /// The queries' MiniLM states with each row's text prompt in front (prompt positions left
    /// out), on the tape: `[batch, words, 384]`, aligned with `batch.textMask`.
    private func promptedTextStates(
        _ batch: GroundingBatch, rowMembers: [Int], encoder: MiniLMEncoder,
        context: inout ForwardContext
    ) -> Tensor {
        let words = batch.textMask.shape[1]
        var groups: [Tensor] = []
        var order: [Int] = []
        for member in Set(rowMembers).sorted() {
            let rows = rowMembers.indices.filter { rowMembers[$0] == member }
            let output = encoder(
                rows.map { batch.samples[$0].query }, prompt: members[member].textPrompt,
                context: &context)
            var states = output.tokenStates(includingPrompt: false).states  // [g, words_g, 384]
            let (count, groupWords, width) = (states.shape[0], states.shape[1], states.shape[2])
            precondition(groupWords <= words,
                "GroundingNetwork: prompted text has \(groupWords) tokens, the batch \(words)")
            if groupWords < words {
                states = Tensor.concatenate(
                    [states, Tensor.zeros([count, words - groupWords, width])], axis: 1)
            }
            groups.append(states)
            order += rows
        }
        let joined = groups.count == 1 ? groups[0] : Tensor.concatenate(groups, axis: 0)
        guard order != Array(0..<batch.size) else { return joined }
        // Back to batch order: row `order[i]` of the batch is row i of `joined`.
        var position = [Int](repeating: 0, count: batch.size)
        for (index, row) in order.enumerated() { position[row] = index }
        let width = joined.shape[2]
        return joined.reshaped(to: [batch.size, words * width]).indexSelect(position)
            .reshaped(to: [batch.size, words, width])
    }

    /// The logits of every batch row through its member's prompts and head (rows of one call
    /// share a head: `rowMembers` must name one member unless heads are shared).
    public func logits(
        _ batch: GroundingBatch, rowMembers: [Int], context: inout ForwardContext
    ) -> GroundingLogits {
        let head = members.isEmpty ? model.head : members[rowMembers[0]].head
        let prompts = promptInputs(for: batch, rowMembers: rowMembers, context: &context)
        return model(batch, prompts: prompts, head: head, context: &context)
    }

    /// The losses of one training batch, one per trained member: all K members of an
    /// `average` ensemble, else one (an `augment` ensemble draws each row's prompt from
    /// `context.generator`).
    public func trainingLosses(
        _ batch: GroundingBatch, training: GroundingTrainingConfiguration,
        context: inout ForwardContext
    ) -> [GroundingLoss] {
        func loss(_ rowMembers: [Int]) -> GroundingLoss {
            GroundingLoss(
                logits: logits(batch, rowMembers: rowMembers, context: &context), batch: batch,
                boundaryWeight: training.boundaryLossWeight,
                insideWeight: training.insideLossWeight)
        }
        let same = { (member: Int) in [Int](repeating: member, count: batch.size) }
        guard let prompts = run.prompts, members.count > 1 else { return [loss(same(0))] }
        switch prompts.ensemble {
        case .average:
            return members.indices.map { loss(same($0)) }
        case .augment:
            let draws = (0..<batch.size).map { _ in
                Int.random(in: 0..<members.count, using: &context.generator)
            }
            return [loss(draws)]
        }
    }

    /// The members whose probabilities are averaged at test time.
    public var evaluationMembers: [Int] {
        guard !members.isEmpty else { return [] }
        if let prompts = run.prompts, prompts.ensemble == .augment, let test = prompts.testPrompt {
            return [test]
        }
        return Array(members.indices)
    }

    /// The evaluation-mode forward: the model, one prompt, or the average of the members'
    /// span probabilities.
    public func evaluationForward(members used: [Int]? = nil) -> GroundingEvaluator.Forward {
        let used = used ?? evaluationMembers
        return { batch in
            var context = ForwardContext(isTraining: false, generator: SeededGenerator(seed: 0))
            guard !used.isEmpty else {
                return SpanDecoder.probabilities(
                    from: self.model(batch, context: &context), batch: batch)
            }
            let perMember = used.map { member in
                SpanDecoder.probabilities(
                    from: self.logits(
                        batch, rowMembers: .init(repeating: member, count: batch.size),
                        context: &context),
                    batch: batch)
            }
            guard perMember.count > 1 else { return perMember[0] }
            return batch.samples.indices.map { row in
                SpanProbabilities.averaged(perMember.map { $0[row] })
            }
        }
    }

    // MARK: Backbone files

    /// A reference to the backbone checkpoint at `url`: its absolute path and data checksum.
    public static func reference(toBackbone url: URL) throws -> BackboneReference {
        let path = url.standardizedFileURL.path
        guard FileManager.default.fileExists(atPath: path) else {
            throw GroundingError.missingFile(
                path: path, what: "pre-trained backbone", input: .pretrainingRun)
        }
        let contents: CheckpointContents
        do { contents = try Checkpoint.contents(of: url) } catch {
            throw GroundingError.corruptRun(path: path, reason: "\(error)")
        }
        guard let checksum = contents.dataChecksum else {
            throw GroundingError.corruptRun(
                path: path, reason: "the backbone carries no data checksum (not written by vtg)")
        }
        return BackboneReference(path: path, checksum: checksum)
    }

    /// The backbone's weights, after checking that the file is the one the run references.
    static func backboneWeights(_ reference: BackboneReference) throws -> [String: Tensor] {
        guard FileManager.default.fileExists(atPath: reference.path) else {
            throw GroundingError.corruptRun(
                path: reference.path,
                reason: "the pre-trained backbone this run was trained on is missing; restore it")
        }
        let loaded: (weights: [String: Tensor], contents: CheckpointContents)
        do { loaded = try Checkpoint.weights(at: URL(fileURLWithPath: reference.path)) } catch {
            throw GroundingError.corruptRun(path: reference.path, reason: "\(error)")
        }
        guard loaded.contents.dataChecksum == reference.checksum else {
            throw GroundingError.backboneMismatch(
                path: reference.path, expected: reference.checksum,
                actual: loaded.contents.dataChecksum ?? "none")
        }
        return loaded.weights
    }
}

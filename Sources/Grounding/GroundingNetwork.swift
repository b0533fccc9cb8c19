import Foundation
import NeuralNet
import Tensors

/// A run's whole network: the grounding model, its prompt members, and the frozen text encoder
/// when a text prompt needs it on the tape. Built the same way for training, evaluation and
/// grounding, so that every path (`prompt.K.…`, heads) exists in all three.
///
/// The pieces live beside it: prompt initialisation in `PromptMember`, the forward passes in
/// `GroundingNetwork+Forward.swift`, training losses and test-time ensembles in
/// `GroundingNetwork+Ensemble.swift`, backbone files in `BackboneFile.swift`.
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
    public internal(set) var model: GroundingModel
    /// The prompt members (empty for a run without prompts).
    public let members: [PromptMember]
    /// The text encoder, kept when a text prompt runs through it.
    let textEncoder: (any QueryEncoder)?
    /// The side network of a side-tuned run.
    public let side: SideNetwork?

    /// The path component under which prompts (and ensemble heads) live.
    public static let promptPrefix = "prompt"

    /// Builds the network of `run` (fresh weights from its seed). With `loadingBackbone`, the
    /// backbone tensors come from `run.backbone` (its checksum verified first; every backbone
    /// tensor must be there), and prompts initialised from vocabulary rows go through the
    /// loaded text projection. A prompt-tuned run freezes the backbone.
    public init(
        run: GroundingRunConfiguration, queryEncoder: any QueryEncoder, loadingBackbone: Bool
    )
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
        if run.resolvedTuning == .lora {
            let adaptation = run.lowRankAdaptation ?? .grounding
            try adaptation.validate()
            parameters.lowRankAdaptation = adaptation
            parameters.lowRankAdaptationSeed = seed
        }
        let model = GroundingModel(run.model, parameters: parameters.root)
        let parameters = self.parameters
        self.model = model
        side =
            run.resolvedTuning == .side
            ? SideNetwork(
                hiddenSize: run.model.hiddenSize, layerCount: run.model.fusionLayerCount,
                width: max(1, run.model.hiddenSize / SideNetwork.standardWidthDivisor),
                parameters: parameters.scope(SideNetwork.prefix))
            : nil
        if let prompts = run.prompts, run.resolvedTuning == .prompt {
            try prompts.validate()
            guard run.model.scratchTextVocabularySize == nil else {
                throw GroundingError.invalidValue(
                    .textEncoder, value: TextEncoderKind.scratch.rawValue,
                    expected: "the frozen MiniLM for prompt tuning")
            }
            // Text prompts run through the text encoder; vocabulary-based starts read its word
            // vectors.
            let needsWordVectors =
                prompts.textPromptLength > 0 || prompts.initialization != .uniform
            if needsWordVectors, !queryEncoder.takesPrompts {
                throw GroundingError.invalidCombination(
                    [.textEncoder, .textPromptLength, .promptInitialization],
                    reason: "text prompts and vocabulary-based prompt initialisation need the "
                        + "MiniLM text encoder; start the prompts uniformly with another encoder")
            }
            members = (0..<prompts.count).map { member in
                PromptMember(
                    index: member, of: prompts, model: model, parameters: parameters,
                    textEncoder: queryEncoder, seed: seed)
            }
            textEncoder = prompts.textPromptLength > 0 ? queryEncoder : nil
        } else {
            members = []
            textEncoder = nil
        }
        if let backboneSource {
            do {
                try parameters.finishLoading(
                    policy: LoadPolicy(
                        allowsMissing: false,
                        missingPrefixes: SpanHead.parameterPrefixes + [
                            Self.promptPrefix, LowRankAdaptationConfiguration.scopePrefix,
                            SideNetwork.prefix, PromptEncoder.prefix,
                        ]))
            } catch {
                throw GroundingError.corruptRun(
                    path: backboneSource, reason: "not a backbone of this model: \(error)")
            }
        }
        if run.resolvedTuning.freezesBackbone {
            parameters.freeze(where: { Self.isBackbone($0.path) })
        }
        if run.resolvedTuning == .lastLayer {
            parameters.unfreeze(prefix: Self.lastFusionLayerPrefix(run.model))
        }
        if members.contains(where: { $0.encoder != nil }) {
            // The encoder trains; the plain vectors hold its output.
            parameters.freeze(where: { PromptMember.isEncodedPrompt($0.path) })
        }
    }

    /// Stores every member's encoded prompts as its plain prompt vectors, what evaluation,
    /// grounding and the best checkpoint read (nothing for members without an encoder).
    public func refreshEncodedPrompts() {
        for member in members { member.refreshEncodedPrompts() }
    }

    /// The path prefix of the fusion transformer's last layer (trained by last-layer tuning).
    public static func lastFusionLayerPrefix(_ model: GroundingModelConfiguration) -> String {
        "fusion.encoder.layer.\(model.fusionLayerCount - 1)"
    }

    /// True for paths of the pre-trained backbone (video encoder, text projection, fusion).
    public static func isBackbone(_ path: String) -> Bool {
        GroundingModel.backbonePrefixes.contains { path == $0 || path.hasPrefix($0 + ".") }
    }

    /// Which tensors the run's checkpoints hold: everything for full fine-tuning, only the
    /// trained tensors (prompts, LoRA updates, the last layer, heads) when the backbone is
    /// frozen.
    public var checkpointFilter: (ParameterStore.Entry) -> Bool {
        run.resolvedTuning.freezesBackbone
            ? { !Self.isBackbone($0.path) || $0.isTrainable } : { _ in true }
    }

    /// Which tensors the best checkpoint holds: those of `checkpointFilter` but the prompt
    /// encoders, whose output the plain prompt vectors hold (inference reads only those).
    public var bestCheckpointFilter: (ParameterStore.Entry) -> Bool {
        let filter = checkpointFilter
        return { filter($0) && !Self.isPromptEncoder($0.path) }
    }

    /// True for paths of a prompt encoder (`PromptEncoder`).
    static func isPromptEncoder(_ path: String) -> Bool {
        path.hasPrefix(PromptEncoder.prefix + ".")
    }

    /// The load policy for this run's own checkpoints: the checkpoint of a run with a frozen
    /// backbone lacks it (it comes from the reference), and its best checkpoint lacks the
    /// prompt encoders; everything else must be there.
    public var checkpointLoadPolicy: LoadPolicy {
        run.resolvedTuning.freezesBackbone
            ? LoadPolicy(
                allowsMissing: false,
                missingPrefixes: GroundingModel.backbonePrefixes + [PromptEncoder.prefix])
            : .strict
    }
}

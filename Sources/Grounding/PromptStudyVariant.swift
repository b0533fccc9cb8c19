/// A backbone the study pre-trains by video-text matching, once per seed.
public enum PromptStudyBackbone: String, CaseIterable, Codable, Sendable {
    /// VIOLET-style matching with the clip-level objective.
    case violet = "pretrain-violet"
    /// All-in-One-style matching with the clip-level objective.
    case allInOne = "pretrain-allinone"
    /// VIOLET-style matching alone (no clip-level objective).
    case violetWithoutClipMatching = "pretrain-violet-vtm-only"
    /// VIOLET-style matching with the clip-level objective, the queries read by CLIP's frozen
    /// text tower (the study's `--clip-model`): a backbone at CLIP's text width.
    case violetOnCLIPText = "pretrain-violet-clip-text"

    /// The matching objective.
    public var style: VideoTextMatchingStyle {
        switch self {
        case .violet, .violetWithoutClipMatching, .violetOnCLIPText: return .violet
        case .allInOne: return .allinone
        }
    }

    /// The text encoder whose frozen token states the backbone reads.
    public var textEncoder: TextEncoderKind { self == .violetOnCLIPText ? .clip : .minilm }

    /// Whether the clip-level matching objective trains alongside.
    public var usesClipMatching: Bool { self != .violetWithoutClipMatching }
}

/// One row of the study: a way of training (or evaluating) a grounding model, run once per
/// seed. The raw value is the row's stable key (the run's directory name).
public enum PromptStudyVariant: String, CaseIterable, Codable, Sendable {
    /// Full fine-tuning from fresh weights.
    case fullWithoutPretraining = "full-scratch"
    /// Full fine-tuning of the VIOLET backbone.
    case fullAfterPretraining = "full-violet"
    /// Prompt tuning of the frozen VIOLET backbone: the reference the other prompt rows vary.
    case prompt = "prompt-violet"
    /// Prompt tuning of the frozen All-in-One backbone.
    case promptAfterAllInOne = "prompt-allinone"
    /// Prompt tuning of a VIOLET backbone pre-trained without the clip-level objective.
    case promptWithoutClipMatching = "prompt-violet-vtm-only"
    /// K prompts trained side by side, averaged at test time.
    case ensembleAverage = "prompt-average"
    /// K prompts, one drawn per training example, averaged at test time.
    case ensembleAugment = "prompt-augment"
    /// The augmented run evaluated with its first prompt alone (not trained again): gains that
    /// survive here come from training, not from averaging.
    case ensembleAugmentOnePrompt = "prompt-augment-one"
    /// Prompt tuning with no attention regularisation in the fusion layers.
    case promptWithoutAttentionRegularisation = "prompt-no-dropkey"
    /// Prompt tuning with ordinary attention dropout instead of DropKey.
    case promptWithAttentionDropout = "prompt-attention-dropout"
    /// LoRA on the frozen VIOLET backbone's video and fusion layers.
    case lora = "lora-violet"
    /// The last fusion layer of the VIOLET backbone trained, the rest frozen.
    case lastLayer = "last-layer-violet"
    /// A side network beside the frozen VIOLET backbone.
    case side = "side-violet"
    /// Full fine-tuning of the VIOLET backbone with no attention regularisation.
    case fullWithoutAttentionRegularisation = "full-violet-no-dropkey"
    /// Full fine-tuning of the VIOLET backbone with ordinary attention dropout.
    case fullWithAttentionDropout = "full-violet-attention-dropout"
    /// LoRA with no attention regularisation.
    case loraWithoutAttentionRegularisation = "lora-violet-no-dropkey"
    /// LoRA with ordinary attention dropout instead of DropKey.
    case loraWithAttentionDropout = "lora-violet-attention-dropout"
    /// Full fine-tuning of the CLIP-text backbone: the grounding model fed CLIP's frozen token
    /// states instead of MiniLM's (needs the study's `--clip-model`).
    case fullOnCLIPText = "clip-full"
    /// Prompt tuning of the frozen CLIP-text backbone with CoOp context vectors on CLIP's text
    /// side besides the study's prompts; CLIP stays frozen (needs the study's `--clip-model`).
    case promptOnCLIPText = "clip-prompt"

    /// The backbone the variant starts from (nil: fresh weights).
    public var backbone: PromptStudyBackbone? {
        switch self {
        case .fullWithoutPretraining: return nil
        case .fullOnCLIPText, .promptOnCLIPText: return .violetOnCLIPText
        case .promptAfterAllInOne: return .allInOne
        case .promptWithoutClipMatching: return .violetWithoutClipMatching
        default: return .violet
        }
    }

    /// What the variant trains.
    public var tuning: TuningMode {
        switch self {
        case .fullWithoutPretraining, .fullAfterPretraining, .fullWithoutAttentionRegularisation,
            .fullWithAttentionDropout, .fullOnCLIPText:
            return .full
        case .lora, .loraWithoutAttentionRegularisation, .loraWithAttentionDropout: return .lora
        case .lastLayer: return .lastLayer
        case .side: return .side
        default: return .prompt
        }
    }

    /// For a variant that is evaluated rather than trained: the trained variant whose run it
    /// evaluates, and the prompt members it averages.
    public var evaluation: (source: PromptStudyVariant, members: [Int])? {
        self == .ensembleAugmentOnePrompt ? (.ensembleAugment, [0]) : nil
    }

    /// The attention regularisation the variant sets: nil keeps the default (DropKey), `.off`
    /// turns it off in the fusion layers and the video encoder, `.dropout` uses ordinary
    /// attention dropout in both instead.
    public var attentionRegularisation: AttentionRegularisationChoice? {
        switch self {
        case .promptWithoutAttentionRegularisation, .fullWithoutAttentionRegularisation,
            .loraWithoutAttentionRegularisation:
            return .off
        case .promptWithAttentionDropout, .fullWithAttentionDropout, .loraWithAttentionDropout:
            return .dropout
        default: return nil
        }
    }

    /// Whether the variant trains a run of its own.
    public var isTrained: Bool { evaluation == nil }

    /// The variants of the default study: what fits within an hour on a 2-core machine at
    /// benchmark size with 5 seeds (one backbone, five trained runs per seed): full
    /// fine-tuning against the parameter-efficient methods, and the prompt ensembles that
    /// answer whether they act as augmentation or as a model ensemble. `--variants all` adds
    /// the rest: no or another pretraining, the clip-level objective, DropKey against none and
    /// attention dropout under each tuning, last-layer and side tuning.
    public static let standardSelection: [PromptStudyVariant] = [
        .fullAfterPretraining, .prompt, .ensembleAverage, .ensembleAugment,
        .ensembleAugmentOnePrompt, .lora,
    ]

    /// `variants` in the study's order, with the trained run of every evaluated variant added.
    public static func runnable(_ variants: [PromptStudyVariant]) -> [PromptStudyVariant] {
        let wanted = Set(variants + variants.compactMap { $0.evaluation?.source })
        return allCases.filter(wanted.contains)
    }

    /// Runs per seed of a study of `variants`, each a step of the study's progress: every
    /// backbone's pretraining they need and every trained variant.
    public static func stepsPerSeed(_ variants: [PromptStudyVariant]) -> Int {
        let runnable = runnable(variants)
        return Set(runnable.compactMap(\.backbone)).count + runnable.filter(\.isTrained).count
    }
}

/// How a study variant changes the attention regularisation (DropKey by default).
public enum AttentionRegularisationChoice: String, Codable, Sendable {
    /// None in the fusion layers and the video encoder.
    case off
    /// Ordinary attention dropout instead of DropKey.
    case dropout
}

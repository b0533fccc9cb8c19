import Foundation
import TextEncoding

/// Which training stage a run is.
public enum TrainingStage: String, Codable, Sendable, CaseIterable {
    /// Video-text matching pretraining of the video encoder and the fusion transformer.
    case pretrain
    /// Grounding: the span head (and, by tuning mode, the backbone or prompts) trained on spans.
    case ground
}

/// What a grounding run trains.
public enum TuningMode: String, Codable, Sendable, CaseIterable {
    /// Every weight of the grounding model (the frozen MiniLM aside): full fine-tuning.
    case full
    /// Only soft prompts and the span head; the pre-trained backbone stays frozen.
    case prompt
    /// Low-rank updates (LoRA) of frozen projections (by default every attention and
    /// feed-forward projection and the three input projections;
    /// `LowRankAdaptationConfiguration.grounding`), and the span head.
    case lora
    /// The last fusion layer and the span head; the rest of the backbone stays frozen (the
    /// simple reference point of parameter-efficient tuning).
    case lastLayer = "last-layer"
    /// A small side network reading every fusion layer's states, query-guided, and the span
    /// head; the backbone stays frozen (`SideNetwork`).
    case side

    /// True when the pre-trained backbone is (at least partly) frozen: the run starts from a
    /// pretraining run, its checkpoints hold only the trained tensors and need the backbone.
    public var freezesBackbone: Bool { self != .full }
}

/// How the K prompts of an ensemble are used.
public enum PromptEnsembleMode: String, Codable, Sendable, CaseIterable {
    /// K independent members (each its own prompt and span head) trained on the same batches;
    /// their span probabilities are averaged at test time (a test-time ensemble).
    case average
    /// One span head; each training example draws one of the K prompts at random (prompts as
    /// data augmentation); at test time the K prompts are averaged, or one is used.
    case augment
}

/// How prompt vectors start (peft's PromptTuningInit, and the classic `SoftEmbedding`).
public enum PromptInitialization: Codable, Sendable, Equatable, CustomStringConvertible {
    /// Consecutive vocabulary rows' word vectors (member k takes the k-th block of rows).
    case vocabulary
    /// The word vectors of an init text's tokens (peft TEXT): all members start alike.
    case text(String)
    /// Random vocabulary rows (peft SAMPLE_VOCAB), drawn with the run's seed + member.
    case sampledVocabulary
    /// Uniform in [−0.5, 0.5), from the run's seeded generator.
    case uniform

    /// Parses the command-line form: `vocab`, `text:"..."`, `sample-vocab` or `uniform`.
    public init?(argument: String) {
        switch argument {
        case "vocab": self = .vocabulary
        case "sample-vocab": self = .sampledVocabulary
        case "uniform": self = .uniform
        default:
            guard argument.hasPrefix("text:") else { return nil }
            var text = String(argument.dropFirst(5))
            if text.count >= 2, text.first == "\"", text.last == "\"" {
                text = String(text.dropFirst().dropLast())
            }
            guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
            self = .text(text)
        }
    }

    /// The command-line form (`init(argument:)` parses it back).
    public var description: String {
        switch self {
        case .vocabulary: return "vocab"
        case .text(let text): return "text:\"\(text)\""
        case .sampledVocabulary: return "sample-vocab"
        case .uniform: return "uniform"
        }
    }

    /// Member k of a `sampledVocabulary` ensemble draws its rows from the run's seed plus
    /// (k + 1) times this stride: members of runs whose seeds differ by less than the stride
    /// never share a seed.
    static let sampledRowSeedStride: UInt64 = 0x9E37

    /// The soft-prompt initialisation of ensemble member `member` of a prompt of `length`
    /// vectors, for a run seeded with `seed`.
    func softPromptInitialization(member: Int, length: Int, seed: UInt64)
        -> SoftPrompt.Initialization
    {
        switch self {
        case .vocabulary: return .consecutiveVocabularyRows(start: member * length)
        case .text(let text): return .text(text)
        case .sampledVocabulary:
            return .randomVocabularyRows(
                seed: seed &+ Self.sampledRowSeedStride &* UInt64(member + 1))
        case .uniform: return .uniform
        }
    }
}

/// The soft prompts of a prompt-tuned grounding run.
public struct PromptTuningConfiguration: Codable, Sendable, Equatable {
    /// Virtual tokens in front of every query in the text encoder (0: none). Costs a MiniLM
    /// forward and backward pass per training step (the query states can no longer be cached).
    public var textPromptLength: Int
    /// Learned tokens placed after [CLS] at the input of the fusion transformer (0: none).
    public var fusionPromptLength: Int
    /// Learned tokens per fusion layer, replaced at every layer's input (deep prompt tuning;
    /// 0: none).
    public var deepPromptLength: Int
    /// How the vectors start.
    public var initialization: PromptInitialization
    /// The number of prompts K (1: a single prompt).
    public var count: Int
    /// How K > 1 prompts are trained and combined.
    public var ensemble: PromptEnsembleMode
    /// With `augment`: the one prompt used at test time, or nil to average all K.
    public var testPrompt: Int?
    /// How the fusion and deep prompt vectors are rescaled before the layers read them (nil:
    /// not at all).
    public var normalization: PromptNormalization?
    /// The bottleneck width of the MLP that reparameterises the fusion and deep prompts while
    /// training (`PromptEncoder`; nil: the prompt vectors are trained directly).
    public var encoderWidth: Int?

    /// The library's defaults.
    public static let defaults = PromptTuningConfiguration()

    /// A prompt configuration; every argument left out takes the library's default.
    public init(
        textPromptLength: Int = 0, fusionPromptLength: Int = 8, deepPromptLength: Int = 8,
        initialization: PromptInitialization = .sampledVocabulary, count: Int = 1,
        ensemble: PromptEnsembleMode = .average, testPrompt: Int? = nil,
        normalization: PromptNormalization? = nil, encoderWidth: Int? = nil
    ) {
        self.textPromptLength = textPromptLength
        self.fusionPromptLength = fusionPromptLength
        self.deepPromptLength = deepPromptLength
        self.initialization = initialization
        self.count = count
        self.ensemble = ensemble
        self.testPrompt = testPrompt
        self.normalization = normalization
        self.encoderWidth = encoderWidth
    }

    /// Throws when the configuration cannot be built, naming the input at fault.
    public func validate() throws(GroundingError) {
        for (length, input) in [
            (textPromptLength, GroundingInput.textPromptLength),
            (fusionPromptLength, .fusionPromptLength), (deepPromptLength, .deepPromptLength),
        ] where length < 0 {
            throw .invalidValue(input, value: "\(length)", expected: "a length of 0 or more")
        }
        if textPromptLength + fusionPromptLength + deepPromptLength == 0 {
            throw .invalidCombination(
                [.textPromptLength, .fusionPromptLength, .deepPromptLength],
                reason: "prompt tuning needs at least one prompt: give one a length above 0")
        }
        if count < 1 {
            throw .invalidValue(.promptCount, value: "\(count)", expected: "at least 1")
        }
        if let testPrompt, !(0..<count).contains(testPrompt) {
            throw .invalidValue(
                .testPrompt, value: "\(testPrompt)",
                expected: "one of the \(count) prompts (0..<\(count))")
        }
        if let encoderWidth, encoderWidth < 1 {
            throw .invalidValue(
                .promptEncoderWidth, value: "\(encoderWidth)", expected: "at least 1")
        }
        if fusionPromptLength + deepPromptLength == 0 {
            for (given, input) in [
                (normalization != nil, GroundingInput.promptNormalization),
                (encoderWidth != nil, .promptEncoderWidth),
            ] where given {
                throw .invalidCombination(
                    [input, .fusionPromptLength, .deepPromptLength],
                    reason: "it applies to the fusion and deep prompts; give one a length")
            }
        }
        if testPrompt != nil, ensemble != .augment {
            throw .invalidCombination(
                [.testPrompt, .ensemble],
                reason: "a test-time prompt applies to the augment ensemble only")
        }
    }
}

/// A reference from a run to the pre-trained backbone it started from: the file and the
/// checksum of its tensor data, so that a prompt-tuned run (whose checkpoint holds only its own
/// tensors) is never paired with other weights.
public struct BackboneReference: Codable, Sendable, Equatable {
    /// The backbone checkpoint (absolute path).
    public var path: String
    /// `CheckpointContents.dataChecksum` of that file.
    public var checksum: String

    /// A reference to the backbone at `path` with data checksum `checksum`.
    public init(path: String, checksum: String) {
        self.path = path
        self.checksum = checksum
    }
}

/// Which video-text matching objective pretrains the backbone.
public enum VideoTextMatchingStyle: String, Codable, Sendable, CaseIterable {
    /// VIOLET: every moment also paired with another video's sentence; binary head on [CLS].
    case violet
    /// All-in-One: with probability 0.5 the moment is swapped for another video's; two-way
    /// classifier on [CLS].
    case allinone
}

/// How a pretraining run builds its moment–sentence pairs.
public struct PretrainingConfiguration: Codable, Sendable, Equatable {
    /// The matching objective.
    public var style: VideoTextMatchingStyle
    /// Clips around the annotated moment kept as context, as a fraction of its length on each
    /// side.
    public var contextFraction: Double
    /// Weight of the clip-level matching objective trained alongside VTM (0: VTM alone): each
    /// whole video with its own sentence, every clip's fused token classified by one linear
    /// layer as inside the described moment or not. VTM supervises only the [CLS] state, so
    /// nothing asks the clip tokens of a frozen backbone to say *where* the sentence matches;
    /// this objective does, with the same moment annotations VTM already uses.
    public var clipMatchingWeight: Float

    /// The library's defaults.
    public static let defaults = PretrainingConfiguration()

    /// A pretraining configuration; every argument left out takes the library's default.
    public init(
        style: VideoTextMatchingStyle = .violet, contextFraction: Double = 0.1,
        clipMatchingWeight: Float = 1
    ) {
        self.style = style
        self.contextFraction = contextFraction
        self.clipMatchingWeight = clipMatchingWeight
    }
}

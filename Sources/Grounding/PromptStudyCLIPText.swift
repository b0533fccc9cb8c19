import Foundation
import NeuralNet
import TextEncoding

/// The CLIP-text rows of the study (`vtg study --clip-model DIR`): full fine-tuning of a
/// backbone pre-trained on CLIP's frozen token states (`clip-full`), and prompt tuning of that
/// backbone with CoOp context vectors on CLIP's text side (`clip-prompt`), run per seed after
/// the MiniLM rows.
public struct PromptStudyCLIPText: Codable, Sendable, Equatable {
    /// The CLIP model folder (absolute): config.json, model.safetensors and the vocabulary.
    public var modelPath: String
    /// Context vectors the `clip-prompt` row trains between CLIP's start token and the query
    /// (`vtg train --text-prompt N`), besides the study's fusion and deep prompts.
    public var textPromptLength: Int

    /// The context length of the `clip-prompt` row: CoOp's shortest tested context (4 vectors,
    /// the length of its hand-written "a photo of a"), the length of the study's other prompts.
    public static let standardTextPromptLength = 4

    /// The rows of `modelPath` with `textPromptLength` context vectors; no file is read.
    public init(modelPath: String, textPromptLength: Int = standardTextPromptLength) {
        self.modelPath = modelPath
        self.textPromptLength = textPromptLength
    }

    /// The rows of the CLIP model folder at `path`, made absolute, after checking that it is a
    /// folder whose config.json describes a CLIP text tower (the weights and the vocabulary are
    /// read when the study starts, before any run).
    public init(checkingModelAt path: String) throws {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory),
            isDirectory.boolValue
        else {
            throw GroundingError.missingFile(
                path: url.path,
                what: "CLIP model folder (config.json, model.safetensors and vocab.json + "
                    + "merges.txt or bpe_simple_vocab_16e6.txt.gz); "
                    + CLIPModelError.downloadHint,
                input: .clipModel)
        }
        _ = try CLIPTextConfiguration(contentsOf: url.appendingPathComponent("config.json"))
        self.init(modelPath: url.path)
    }

    /// The error of CLIP rows asked for without the model folder.
    static func missingModel(for rows: [PromptStudyVariant]) -> GroundingError {
        .missingInputs(
            [.clipModel], alternatives: [],
            reason: "the rows " + rows.map(\.rawValue).joined(separator: ", ")
                + " read queries with CLIP's text tower; give the CLIP model folder, or leave "
                + "those rows out")
    }

    /// CLIP's frozen text tower from the model folder, as the CLIP rows' query encoder.
    func makeQueryEncoder() throws -> CLIPQueryEncoder {
        try CLIPQueryEncoder(directory: URL(fileURLWithPath: modelPath))
    }
}

extension PromptStudyConfiguration {
    /// The context vectors of the `clip-prompt` row (the standard length when no CLIP rows are
    /// set, for labels).
    public var clipTextPromptLength: Int {
        clipText?.textPromptLength ?? PromptStudyCLIPText.standardTextPromptLength
    }
}

extension PromptStudyVariant {
    /// The rows `--clip-model` adds to the study, in the study's order.
    public static let clipTextRows: [PromptStudyVariant] = allCases.filter {
        $0.textEncoder == .clip
    }

    /// Every row that reads queries with MiniLM: what `--variants all` names without
    /// `--clip-model` (with it, the CLIP rows join them).
    public static let miniLMRows: [PromptStudyVariant] = allCases.filter {
        $0.textEncoder == .minilm
    }

    /// The text encoder whose frozen states the variant's grounding model reads.
    public var textEncoder: TextEncoderKind { backbone?.textEncoder ?? .minilm }
}

extension PromptStudyRequest {
    /// Throws when a CLIP row is asked for without the CLIP model folder.
    func validateCLIPText() throws(GroundingError) {
        let clipRows = (variants ?? []).filter { $0.textEncoder == .clip }
        if clipModelPath == nil, !clipRows.isEmpty {
            throw PromptStudyCLIPText.missingModel(for: clipRows)
        }
    }

    /// `configuration` with the CLIP rows of `clipModelPath` (checked to be a CLIP model
    /// folder): both rows are added unless the variants asked for already name one of them.
    func addingCLIPText(to configuration: PromptStudyConfiguration) throws
        -> PromptStudyConfiguration
    {
        guard let clipModelPath else { return configuration }
        var configuration = configuration
        configuration.clipText = try PromptStudyCLIPText(checkingModelAt: clipModelPath)
        if !configuration.variants.contains(where: { $0.textEncoder == .clip }) {
            configuration.variants += PromptStudyVariant.clipTextRows
        }
        return configuration
    }
}

extension PromptStudy {
    /// CLIP's text tower for the study's CLIP-text rows, loaded once before any run (nil when
    /// no such row runs); throws when a CLIP row is asked for without the model folder, or the
    /// folder cannot be read.
    static func clipQueryEncoder(for configuration: PromptStudyConfiguration) throws
        -> CLIPQueryEncoder?
    {
        let clipRows = PromptStudyVariant.runnable(configuration.variants).filter {
            $0.textEncoder == .clip
        }
        guard !clipRows.isEmpty else { return nil }
        guard let clipText = configuration.clipText else {
            throw PromptStudyCLIPText.missingModel(for: clipRows)
        }
        return try clipText.makeQueryEncoder()
    }
}

import ArgumentParser
import Foundation
import TextEncoding
import VTGCore

/// `vtg embed`: sentence embeddings (and token states) of all-MiniLM-L6-v2, or CLIP text
/// embeddings.
struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Embed texts with the pre-trained all-MiniLM-L6-v2 or CLIP text encoder.",
        discussion: """
            Reads one text per line from standard input, or the --text options. With --json, \
            prints one JSON object per text: {"text", "input_ids", "embedding"} (and \
            "token_states", one row per token, with --token-states). MiniLM truncates texts to \
            256 tokens; CLIP (--encoder clip --clip-model DIR) to 77, and its "embedding" is the \
            projected text embedding, un-normalised (transformers' text_embeds); a truncation \
            is noted on standard error. Input must be UTF-8.
            """)

    /// The text encoders `vtg embed` runs.
    enum Encoder: String, ExpressibleByArgument, CaseIterable {
        case minilm, clip
    }

    @Option(help: "The encoder: minilm (all-MiniLM-L6-v2) or clip (needs --clip-model).")
    var encoder: Encoder = .minilm

    @Option(
        help: """
            A Hugging Face CLIP model folder (config.json, model.safetensors, vocab.json and \
            merges.txt), such as openai/clip-vit-base-patch32.
            """)
    var clipModel: String?

    @Option(
        name: .customLong("text"), help: "A text to embed (repeatable); stdin is then not read.")
    var texts: [String] = []

    @Flag(help: "Print one JSON object per line instead of a summary.")
    var json = false

    @Flag(help: "With --json, also print the last layer's state of every token.")
    var tokenStates = false

    @Option(help: "The model folder (default: VTG_TEXT_MODEL or the installed PyPI package).")
    var textModel: String?

    @Option(help: "Texts per forward pass.")
    var batchSize = MiniLMEncoder.defaultBatchSize

    @Option(
        help: """
            The encoder layers' products: float32, bf16 or int8 (these two need AVX-512 BF16 or \
            VNNI; elsewhere float32 runs, with a note).
            """)
    var precision: EncoderPrecision = .float32

    func validate() throws {
        if tokenStates && !json { throw ValidationError("--token-states needs --json") }
        if encoder == .clip && clipModel == nil {
            throw ValidationError("--encoder clip needs --clip-model DIR")
        }
        if batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
    }

    func run() throws {
        let inputs =
            texts.isEmpty
            ? try TextLines.decode(
                Array(FileHandle.standardInput.readDataToEndOfFile()), source: "standard input")
            : texts
        let model = try embeddingModel()
        let source = texts.isEmpty ? "line" : "--text"
        // Bounded chunks, printed as they finish: memory stays flat on long inputs.
        let chunkSize = 1024
        for chunkStart in stride(from: 0, to: inputs.count, by: chunkSize) {
            let chunk = Array(inputs[chunkStart..<min(chunkStart + chunkSize, inputs.count)])
            let results = model.tokenStates(chunk)
            for (offset, (text, states)) in zip(chunk, results).enumerated() {
                let number = chunkStart + offset + 1
                if states.wasTruncated {
                    FileHandle.standardError.write(
                        Data(
                            ("vtg embed: \(source) \(number) is longer than"
                                + " \(model.maximumTokens) tokens; only its first"
                                + " \(states.tokenCount) (\(model.specialTokens) included) were"
                                + " embedded\n").utf8))
                }
                let embedding = model.embedding(states)
                if json {
                    print(
                        try jsonLine(
                            EmbeddedText(
                                text: text, inputIDs: states.tokenIDs, embedding: embedding,
                                tokenStates: tokenStates
                                    ? (0..<states.tokenCount).map {
                                        Array(states.state(ofToken: $0))
                                    }
                                    : nil)))
                } else {
                    let preview = embedding.prefix(4).map { String(format: "%.4f", $0) }
                    print(
                        "\(source) \(number): \(states.tokenCount) tokens, embedding"
                            + " [\(preview.joined(separator: ", ")), …] (\(embedding.count)-d)")
                }
            }
        }
        if !json {
            print(
                "\(inputs.count) text(s) embedded with \(model.name);"
                    + " add --json for the full vectors")
        }
    }

    /// The encoder's name suffix for reduced-precision products; says on standard error when it
    /// runs at float32 because the CPU lacks the kernel of `--precision`.
    private func productsNote(running: EncoderPrecision) -> String {
        if running != precision {
            FileHandle.standardError.write(
                Data(
                    ("vtg embed: no \(precision) kernel here (it needs"
                        + " \(precision.requiredFeatures), which this CPU or VTG_CPU_FEATURES"
                        + " lacks); computing in float32\n").utf8))
        }
        return running == .float32 ? "" : " (\(running) products)"
    }

    /// What the output loop needs of either encoder.
    private struct EmbeddingModel {
        let name: String
        let maximumTokens: Int
        let specialTokens: String
        let tokenStates: ([String]) -> [TextTokenStates]
        let embedding: (TextTokenStates) -> [Float]
    }

    /// The encoder the options ask for, loaded.
    private func embeddingModel() throws -> EmbeddingModel {
        if encoder == .clip, let clipModel {
            // float32 products of few rows (short texts) read weights packed once.
            let encoder = try CLIPTextEncoder(directory: URL(fileURLWithPath: clipModel))
                .converted(to: precision).packedForFewRows()
            let products = productsNote(running: encoder.precision)
            return EmbeddingModel(
                name: "the CLIP text encoder of \(clipModel)\(products)",
                maximumTokens: encoder.tokenizer.contextLength,
                specialTokens: "start and end", tokenStates: { [batchSize] in
                    encoder.tokenStates($0, batchSize: batchSize)
                }, embedding: encoder.embedding(of:))
        }
        let encoder = try MiniLMEncoder(
            modelFiles: TextModelFiles.locate(option: textModel), precision: precision)
        let products = productsNote(running: encoder.precision)
        return EmbeddingModel(
            name: "all-MiniLM-L6-v2\(products)",
            maximumTokens: encoder.tokenizer.maximumSequenceLength,
            specialTokens: "[CLS] and [SEP]", tokenStates: { [batchSize] in
                encoder.tokenStates($0, batchSize: batchSize)
            }, embedding: encoder.sentenceEmbedding(of:))
    }
}

extension EncoderPrecision: ExpressibleByArgument {}

/// One line of `vtg embed --json`.
private struct EmbeddedText: Encodable {
    let text: String
    let inputIDs: [Int]
    let embedding: [Float]
    let tokenStates: [[Float]]?

    enum CodingKeys: String, CodingKey {
        case text
        case inputIDs = "input_ids"
        case embedding
        case tokenStates = "token_states"
    }
}

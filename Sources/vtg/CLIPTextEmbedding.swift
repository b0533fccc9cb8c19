import Foundation
import Grounding

/// Where the zero-shot commands get their query encoder: CLIP's text tower (tokenizer, text
/// transformer, `text_projection`) from the same model folder as the image tower.
///
/// The CLIP text encoder is being built in parallel (issue 13, branch `cliptext`); until it is
/// merged this build has none, and says so. The library takes any `TextEmbedder`, so connecting
/// it is this one function.
enum CLIPTextEmbedding {
    /// The CLIP text encoder of the model folder `clipModelDirectory`.
    static func load(clipModelDirectory: URL) throws -> any TextEmbedder {
        throw GroundingError.invalidInput(
            "\(clipModelDirectory.path): this build has no CLIP text encoder yet (issue 13), so "
                + "it cannot embed queries for zero-shot grounding; build a version that has it")
    }
}

import Foundation
import NeuralNet
import Tensors

/// The pre-trained backbone file a grounding run starts from: referencing it (path and data
/// checksum) when a run is configured, and loading it, checked against that reference, when
/// the network is built.
extension GroundingNetwork {
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

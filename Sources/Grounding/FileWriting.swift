import Foundation
import VTGCore

/// The size of the file at `url` in bytes (0 when absent).
func fileSize(_ url: URL) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int) ?? 0
}

/// Writes a value as pretty JSON (sorted keys), atomically.
func writeJSON<Value: Encodable>(_ value: Value, to url: URL) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try writeFile(encoder.encode(value), to: url)
}

/// Writes `data` to `url` atomically; a failure is a `GroundingError.cannotWrite` naming the
/// path and the system's reason, never Foundation's own message.
func writeFile(_ data: Data, to url: URL) throws(GroundingError) {
    do { try data.write(to: url, options: .atomic) } catch {
        throw .cannotWrite(path: url.path, reason: systemReason(error))
    }
}

/// Creates the directory `url` (and its parents); a failure names the path and the reason.
func createDirectory(_ url: URL) throws(GroundingError) {
    do {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    } catch {
        throw .cannotWrite(path: url.path, reason: systemReason(error))
    }
}

/// The system's words for why a file operation failed (see `FileErrorReason`).
func systemReason(_ error: any Error) -> String {
    FileErrorReason.of(error)
}

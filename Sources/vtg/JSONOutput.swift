import Foundation
import VTGCore

/// A value as one line of compact JSON (keys sorted, so lines are stable; slashes unescaped), for
/// JSON-lines output.
func jsonLine<Value: Encodable>(_ value: Value) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}

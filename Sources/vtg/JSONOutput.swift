import Foundation

/// Writes a value as pretty JSON, atomically (a temporary file renamed into place).
func writeJSON<Value: Encodable>(_ value: Value, to path: String) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    let data = try encoder.encode(value)
    try data.write(to: URL(fileURLWithPath: path), options: .atomic)
}

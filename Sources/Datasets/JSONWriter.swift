extension JSONValue {
    /// Compact JSON text in the style of Python's `json.dumps` (`", "` and `": "` separators),
    /// members in their stored order, so output is byte-for-byte reproducible.
    ///
    /// Integral numbers below 2^53 are written without a fraction (`150`), others with Swift's
    /// shortest round-trip representation (`0.1`). Non-ASCII characters are written as they are.
    public func serialized() -> String {
        var output = ""
        append(to: &output)
        return output
    }

    private func append(to output: inout String) {
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .number(let value): output += Self.formatNumber(value)
        case .string(let value): Self.appendQuoted(value, to: &output)
        case .array(let elements):
            output += "["
            for (position, element) in elements.enumerated() {
                if position > 0 { output += ", " }
                element.append(to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (position, member) in members.enumerated() {
                if position > 0 { output += ", " }
                Self.appendQuoted(member.key, to: &output)
                output += ": "
                member.value.append(to: &output)
            }
            output += "}"
        }
    }

    /// Formats a number as JSON: integers without a fraction, non-finite values as Python does.
    static func formatNumber(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        if value.rounded() == value, abs(value) < 9.0e15 { return String(Int(value)) }
        return String(value)
    }

    private static func appendQuoted(_ text: String, to output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }
}

extension JSONValue {
    /// How much space goes between tokens.
    public enum Spacing: Sendable {
        /// `", "` and `": "`, as Python's `json.dumps` writes by default (annotation files,
        /// predictions).
        case python
        /// `","` and `":"`, as serde_json writes (safetensors headers).
        case compact
    }

    /// The value as one line of JSON text, members in their stored order, so output is
    /// byte-for-byte reproducible. Numbers are written as their text (``JSONNumber``), strings
    /// escaped as Python and serde_json escape them (see `appendQuoted`).
    public func serialized(spacing: Spacing = .python) -> String {
        var output: [UInt8] = []
        append(to: &output, spacing: spacing)
        return String(decoding: output, as: UTF8.self)
    }

    /// The UTF-8 bytes of ``serialized(spacing:)``.
    public func serializedBytes(spacing: Spacing = .python) -> [UInt8] {
        var output: [UInt8] = []
        append(to: &output, spacing: spacing)
        return output
    }

    private func append(to output: inout [UInt8], spacing: Spacing) {
        let (comma, colon): (String, String) =
            switch spacing {
            case .python: (", ", ": ")
            case .compact: (",", ":")
            }
        switch self {
        case .null: output += "null".utf8
        case .bool(let value): output += (value ? "true" : "false").utf8
        case .number(let number): output += number.text.utf8
        case .string(let value): Self.appendQuoted(value, to: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { output += comma.utf8 }
                element.append(to: &output, spacing: spacing)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (position, member) in members.enumerated() {
                if position > 0 { output += comma.utf8 }
                Self.appendQuoted(member.key, to: &output)
                output += colon.utf8
                member.value.append(to: &output, spacing: spacing)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Appends `text` as a JSON string literal: PromptVTG's one JSON string escaper.
    ///
    /// Escaped exactly as both Python's `json.dumps` (with `ensure_ascii=False`) and serde_json
    /// escape: `"` and `\` with a backslash, the five short escapes `\b \f \n \r \t`, other
    /// control characters below U+0020 as `\u00xx` (lower-case hexadecimal); everything else,
    /// non-ASCII included, as its UTF-8 bytes.
    static func appendQuoted(_ text: String, to output: inout [UInt8]) {
        let hexadecimalDigits = Array("0123456789abcdef".utf8)
        output.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output += #"\""#.utf8
            case UInt8(ascii: "\\"): output += #"\\"#.utf8
            case 0x08: output += #"\b"#.utf8
            case 0x0C: output += #"\f"#.utf8
            case 0x0A: output += #"\n"#.utf8
            case 0x0D: output += #"\r"#.utf8
            case 0x09: output += #"\t"#.utf8
            case 0..<0x20:
                output += #"\u00"#.utf8
                output.append(hexadecimalDigits[Int(byte >> 4)])
                output.append(hexadecimalDigits[Int(byte & 0x0F)])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}

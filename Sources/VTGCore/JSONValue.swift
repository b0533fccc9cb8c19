/// A parsed JSON document that keeps object members in the order of the text, duplicates
/// included, and numbers as their text (``JSONNumber``).
///
/// The one JSON value type of PromptVTG, read by ``JSONParser`` and written by
/// ``serialized(spacing:)``. Foundation's `JSONSerialization` and `JSONDecoder` serve where a
/// dictionary is enough (configurations, run records); this type is for what they lose:
/// - member order: ActivityNet Captions and TACoS annotation files are objects keyed by video
///   id, and query identifiers follow the file's order (as Python's dictionaries keep it);
/// - duplicate keys: a safetensors header that names a tensor twice must be refused, where
///   `JSONSerialization` silently keeps one of them;
/// - exact integers: safetensors offsets are 64-bit, past what a `Double` holds exactly.
public indirect enum JSONValue: Sendable, Equatable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// Any JSON number, as its text.
    case number(JSONNumber)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object, members in file order.
    case object([JSONMember])

    /// A number holding `value`, written as ``JSONNumber`` writes a `Double`.
    public static func number(_ value: Double) -> JSONValue {
        .number(JSONNumber(value))
    }

    /// A number holding the integer `value` exactly.
    public static func number(_ value: Int) -> JSONValue {
        .number(JSONNumber(value))
    }

    /// The number as a `Double`, if this is a number.
    public var numberValue: Double? {
        if case .number(let number) = self { return number.doubleValue }
        return nil
    }

    /// The number as an integer, if this is a number with an integral value below 9·10^15
    /// (`3`, `3.0` and `3e0` alike).
    public var integerValue: Int? {
        guard let value = numberValue, value.rounded() == value, abs(value) < 9.0e15 else {
            return nil
        }
        return Int(value)
    }

    /// The number as a non-negative integer, exactly, if it is written as plain digits (no sign,
    /// fraction or exponent) and fits an `Int`; nil for anything else. What safetensors offsets
    /// and shapes must be.
    public var nonNegativeInteger: Int? {
        guard case .number(let number) = self,
            number.text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        return Int(number.text)
    }

    /// The string, if this is a string.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The elements, if this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The members in file order, if this is an object.
    public var objectMembers: [JSONMember]? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// The value of the first member named `key`, if this is an object that has one.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first(where: { $0.key == key })?.value
    }

    /// A short name of the value's kind for error messages ("a number", "an object").
    public var kindDescription: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

/// One `"key": value` member of a JSON object.
public struct JSONMember: Sendable, Equatable {
    /// The member's name.
    public var key: String
    /// The member's value.
    public var value: JSONValue

    /// Creates a member.
    public init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }
}

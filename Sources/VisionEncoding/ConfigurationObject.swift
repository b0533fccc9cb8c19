import Foundation

/// A JSON object of a model configuration file, read key by key with Hugging Face's defaults for
/// absent keys and a `CLIPModelError` naming the file and the dotted key for everything else.
///
/// transformers builds its configuration classes the same way: a key the file does not hold takes
/// the class default, a key it holds must have a usable value.
struct ConfigurationObject {
    /// A JSON value; numbers are kept as `Double` (configuration integers are small).
    enum Value: Decodable, Equatable {
        case null
        case bool(Bool)
        case number(Double)
        case string(String)
        case array([Value])
        case object([String: Value])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let value = try? container.decode(Bool.self) {
                self = .bool(value)
            } else if let value = try? container.decode(Double.self) {
                self = .number(value)
            } else if let value = try? container.decode(String.self) {
                self = .string(value)
            } else if let value = try? container.decode([Value].self) {
                self = .array(value)
            } else {
                self = .object(try container.decode([String: Value].self))
            }
        }

        /// How the value reads in an error message.
        var text: String {
            switch self {
            case .null: "null"
            case .bool(let value): "\(value)"
            case .number(let value):
                value == value.rounded() && abs(value) < 1e15 ? "\(Int(value))" : "\(value)"
            case .string(let value): "\"\(value)\""
            case .array(let values): "[" + values.map(\.text).joined(separator: ", ") + "]"
            case .object: "an object"
            }
        }
    }

    /// The file, for error messages.
    let path: String
    /// The dotted key of this object inside the file ("" at the top level).
    let keyPath: String
    /// The object's members.
    let members: [String: Value]

    /// Reads the JSON object in `url`.
    init(contentsOf url: URL) throws(CLIPModelError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory),
            !isDirectory.boolValue
        else { throw .missingFile(path: url.path) }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadableFile(path: url.path, reason: error.localizedDescription)
        }
        let value: Value
        do {
            value = try JSONDecoder().decode(Value.self, from: data)
        } catch {
            throw .invalidJSON(path: url.path, reason: "\(error)")
        }
        guard case .object(let members) = value else {
            throw .invalidJSON(path: url.path, reason: "the top level is \(value.text)")
        }
        self.init(path: url.path, keyPath: "", members: members)
    }

    init(path: String, keyPath: String, members: [String: Value]) {
        self.path = path
        self.keyPath = keyPath
        self.members = members
    }

    /// The dotted key of a member, for error messages.
    func fullKey(_ key: String) -> String { keyPath.isEmpty ? key : keyPath + "." + key }

    /// An error for the member `key` holding `value` where `expected` was needed.
    func invalid(_ key: String, expected: String, actual: Value?) -> CLIPModelError {
        .invalidValue(
            path: path, key: fullKey(key), expected: expected, actual: actual?.text ?? "absent")
    }

    /// The member `key` when present and not null.
    func value(_ key: String) -> Value? {
        guard let value = members[key], value != .null else { return nil }
        return value
    }

    /// The nested object `key`, or nil when absent.
    func object(_ key: String) throws(CLIPModelError) -> ConfigurationObject? {
        guard let value = value(key) else { return nil }
        guard case .object(let members) = value else {
            throw invalid(key, expected: "an object", actual: value)
        }
        return ConfigurationObject(path: path, keyPath: fullKey(key), members: members)
    }

    /// The integer `key`, `defaultValue` when absent; it must satisfy `isValid` (`expected`
    /// describes what does).
    func integer(
        _ key: String, default defaultValue: Int, expected: String = "a positive integer",
        where isValid: (Int) -> Bool = { $0 > 0 }
    ) throws(CLIPModelError) -> Int {
        guard let value = value(key) else { return defaultValue }
        guard case .number(let number) = value, let integer = Int(exactly: number),
            isValid(integer)
        else { throw invalid(key, expected: expected, actual: value) }
        return integer
    }

    /// The number `key`, `defaultValue` when absent; it must satisfy `isValid`.
    func number(
        _ key: String, default defaultValue: Double, expected: String,
        where isValid: (Double) -> Bool
    ) throws(CLIPModelError) -> Double {
        guard let value = value(key) else { return defaultValue }
        guard case .number(let number) = value, isValid(number) else {
            throw invalid(key, expected: expected, actual: value)
        }
        return number
    }

    /// The boolean `key`, `defaultValue` when absent.
    func bool(_ key: String, default defaultValue: Bool) throws(CLIPModelError) -> Bool {
        guard let value = value(key) else { return defaultValue }
        guard case .bool(let flag) = value else {
            throw invalid(key, expected: "true or false", actual: value)
        }
        return flag
    }

    /// The string `key`, or nil when absent.
    func string(_ key: String) throws(CLIPModelError) -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value else {
            throw invalid(key, expected: "a string", actual: value)
        }
        return text
    }

    /// The array of `count` numbers `key` (or one number, repeated, as transformers accepts for
    /// image means and deviations), `defaultValue` when absent; each must satisfy `isValid`.
    func numbers(
        _ key: String, count: Int, default defaultValue: [Double], expected: String,
        where isValid: (Double) -> Bool
    ) throws(CLIPModelError) -> [Double] {
        guard let value = value(key) else { return defaultValue }
        var numbers: [Double] = []
        switch value {
        case .number(let number): numbers = [Double](repeating: number, count: count)
        case .array(let values):
            for element in values {
                guard case .number(let number) = element else { break }
                numbers.append(number)
            }
            if numbers.count != values.count { numbers = [] }
        default: break
        }
        guard numbers.count == count, numbers.allSatisfy(isValid) else {
            throw invalid(key, expected: expected, actual: value)
        }
        return numbers
    }
}

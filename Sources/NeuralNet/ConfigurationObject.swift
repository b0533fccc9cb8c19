import Foundation
import VTGCore

/// A JSON object of a model configuration file, read key by key with Hugging Face's defaults for
/// absent keys and a `CLIPModelError` naming the file and the dotted key for everything else.
///
/// transformers builds its configuration classes the same way: a key the file does not hold takes
/// the class default, a key it holds must have a usable value. The file is parsed by VTGCore's
/// `JSONParser`; a key given twice reads as its last value, as Python's `json` module reads it.
package struct ConfigurationObject {
    /// The file, for error messages.
    package let path: String
    /// The dotted key of this object inside the file ("" at the top level).
    package let keyPath: String
    /// The object's members, in file order.
    package let members: [JSONMember]

    /// Reads the JSON object in `url`.
    package init(contentsOf url: URL) throws(CLIPModelError) {
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
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes: Array(data)[...])
        } catch {
            throw .invalidJSON(path: url.path, reason: error.description)
        }
        guard case .object(let members) = value else {
            throw .invalidJSON(path: url.path, reason: "the top level is \(Self.text(of: value))")
        }
        self.init(path: url.path, keyPath: "", members: members)
    }

    package init(path: String, keyPath: String, members: [JSONMember]) {
        self.path = path
        self.keyPath = keyPath
        self.members = members
    }

    /// The dotted key of a member, for error messages.
    package func fullKey(_ key: String) -> String { keyPath.isEmpty ? key : keyPath + "." + key }

    /// How a value reads in an error message: its JSON text, or "an object".
    package static func text(of value: JSONValue) -> String {
        if case .object = value { return "an object" }
        return value.serialized()
    }

    /// An error for the member `key` holding `value` where `expected` was needed.
    package func invalid(_ key: String, expected: String, actual: JSONValue?) -> CLIPModelError {
        .invalidValue(
            path: path, key: fullKey(key), expected: expected,
            actual: actual.map(Self.text(of:)) ?? "absent")
    }

    /// The member `key` when present and not null (the last one when given twice).
    package func value(_ key: String) -> JSONValue? {
        guard let value = members.last(where: { $0.key == key })?.value, value != .null else {
            return nil
        }
        return value
    }

    /// The nested object `key`, or nil when absent.
    package func object(_ key: String) throws(CLIPModelError) -> ConfigurationObject? {
        guard let value = value(key) else { return nil }
        guard case .object(let members) = value else {
            throw invalid(key, expected: "an object", actual: value)
        }
        return ConfigurationObject(path: path, keyPath: fullKey(key), members: members)
    }

    /// The integer `key`, `defaultValue` when absent; it must satisfy `isValid` (`expected`
    /// describes what does).
    package func integer(
        _ key: String, default defaultValue: Int, expected: String = "a positive integer",
        where isValid: (Int) -> Bool = { $0 > 0 }
    ) throws(CLIPModelError) -> Int {
        guard let value = value(key) else { return defaultValue }
        guard let integer = value.integerValue, isValid(integer) else {
            throw invalid(key, expected: expected, actual: value)
        }
        return integer
    }

    /// The number `key`, `defaultValue` when absent; it must satisfy `isValid`.
    package func number(
        _ key: String, default defaultValue: Double, expected: String,
        where isValid: (Double) -> Bool
    ) throws(CLIPModelError) -> Double {
        guard let value = value(key) else { return defaultValue }
        guard let number = value.numberValue, isValid(number) else {
            throw invalid(key, expected: expected, actual: value)
        }
        return number
    }

    /// The boolean `key`, `defaultValue` when absent.
    package func bool(_ key: String, default defaultValue: Bool) throws(CLIPModelError) -> Bool {
        guard let value = value(key) else { return defaultValue }
        guard case .bool(let flag) = value else {
            throw invalid(key, expected: "true or false", actual: value)
        }
        return flag
    }

    /// The string `key`, or nil when absent.
    package func string(_ key: String) throws(CLIPModelError) -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value else {
            throw invalid(key, expected: "a string", actual: value)
        }
        return text
    }

    /// The array of `count` numbers `key` (or one number, repeated, as transformers accepts for
    /// image means and deviations), `defaultValue` when absent; each must satisfy `isValid`.
    package func numbers(
        _ key: String, count: Int, default defaultValue: [Double], expected: String,
        where isValid: (Double) -> Bool
    ) throws(CLIPModelError) -> [Double] {
        guard let value = value(key) else { return defaultValue }
        var numbers: [Double] = []
        if let number = value.numberValue {
            numbers = [Double](repeating: number, count: count)
        } else if let values = value.arrayValue {
            numbers = values.compactMap(\.numberValue)
            if numbers.count != values.count { numbers = [] }
        }
        guard numbers.count == count, numbers.allSatisfy(isValid) else {
            throw invalid(key, expected: expected, actual: value)
        }
        return numbers
    }
}

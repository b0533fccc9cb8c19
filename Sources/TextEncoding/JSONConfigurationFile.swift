import Foundation

/// Reads a JSON configuration file into a `Decodable` type, turning every failure into a
/// `TextModelError` that names the file and the key.
enum JSONConfigurationFile {
    /// Decodes `url`'s JSON as `type`.
    static func decode<Value: Decodable>(_ type: Value.Type, from url: URL) throws(TextModelError)
        -> Value
    {
        let path = url.path
        let data = try contents(of: url)
        do {
            return try JSONDecoder().decode(Value.self, from: data)
        } catch let error as ConfigurationValueError {
            throw .invalidValue(
                path: path, key: error.key, expected: error.expected, actual: error.actual)
        } catch DecodingError.keyNotFound(let key, let context) {
            throw .missingKey(path: path, key: dottedPath(context.codingPath + [key]))
        } catch DecodingError.valueNotFound(let type, let context) {
            throw .invalidValue(
                path: path, key: dottedPath(context.codingPath), expected: typeName(type),
                actual: "null")
        } catch DecodingError.typeMismatch(let type, let context) {
            throw .invalidValue(
                path: path, key: dottedPath(context.codingPath), expected: typeName(type),
                actual: "a value of another type")
        } catch DecodingError.dataCorrupted(let context) where !context.codingPath.isEmpty {
            throw .invalidValue(
                path: path, key: dottedPath(context.codingPath), expected: "a valid value",
                actual: context.debugDescription)
        } catch {
            throw .invalidJSON(path: path, reason: Self.reason(error))
        }
    }

    /// `url` when it is an existing file, else `missingFile`.
    static func existingFile(_ url: URL) throws(TextModelError) -> URL {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory),
            !isDirectory.boolValue
        else {
            throw .missingFile(path: url.path)
        }
        return url
    }

    /// The bytes of `url`, or `missingFile` / `unreadableFile`.
    static func contents(of url: URL) throws(TextModelError) -> Data {
        do {
            return try Data(contentsOf: existingFile(url))
        } catch let error as TextModelError {
            throw error
        } catch {
            throw .unreadableFile(path: url.path, reason: error.localizedDescription)
        }
    }

    private static func dottedPath(_ codingPath: [any CodingKey]) -> String {
        codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            .joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is Bool.Type: "true or false"
        case is String.Type: "a string"
        default: "a value of type \(type)"
        }
    }

    private static func reason(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            if let underlying = context.underlyingError {
                return "\(context.debugDescription) \(underlying.localizedDescription)"
            }
            return context.debugDescription
        }
        return String(describing: error)
    }
}

/// A value that decodes but that the project cannot use, thrown from `init(from:)` of the
/// configuration types; `JSONConfigurationFile` adds the file's path.
struct ConfigurationValueError: Error {
    /// The key, dotted from the file's top level.
    let key: String
    /// What would be accepted.
    let expected: String
    /// What the file holds.
    let actual: String
}

extension KeyedDecodingContainer {
    /// Decodes `key` and checks it with `isValid`; throws `ConfigurationValueError` naming the key
    /// and `expected` otherwise.
    func decode<Value: Decodable & CustomStringConvertible>(
        _ type: Value.Type, forKey key: Key, expected: String, where isValid: (Value) -> Bool
    ) throws -> Value {
        let value = try decode(Value.self, forKey: key)
        guard isValid(value) else {
            throw ConfigurationValueError(
                key: key.stringValue, expected: expected, actual: value.description)
        }
        return value
    }
}

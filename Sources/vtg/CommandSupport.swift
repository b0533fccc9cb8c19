import ArgumentParser
import Datasets
import Foundation
import VTGCore

extension DatasetName: ExpressibleByArgument {}

/// Helpers shared by the subcommands: output and error reporting.
enum CommandSupport {
    /// Pretty-printed JSON of `value` with sorted keys (stable for diffs).
    static func json<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// A directory argument as a URL, checked to exist.
    static func directory(_ path: String, option: String) throws -> URL {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
            isDirectory.boolValue
        else {
            throw ValidationError("\(option) \(path): no such directory.")
        }
        return URL(fileURLWithPath: path)
    }

    /// Runs `body`, turning library errors into a clear message on standard error and exit
    /// code 1 (ArgumentParser would print only the type name of an unknown error).
    static func reportingErrors(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as ValidationError {
            throw error
        } catch let error as CleanExit {
            throw error
        } catch let error as ExitCode {
            throw error
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}

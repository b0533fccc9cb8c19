import ArgumentParser
import Foundation
import Grounding
import Metrics
import TextEncoding
import VTGCore

/// Helpers shared by the subcommands: output, and library errors said in flags.
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

    /// The message of a library error in the command line's words: the inputs of a
    /// `GroundingError` named by their flags (`renaming` overrides `FlagNames` for one
    /// command), the text model's and the baselines' flags added where the library says
    /// "give it explicitly".
    static func message(for error: any Error, renaming: [GroundingInput: String] = [:])
        -> String
    {
        switch error {
        case let error as GroundingError:
            return error.message(naming: { renaming[$0] ?? FlagNames.flag($0) })
        case let error as TextModelError:
            switch error {
            case .directoryNotFound(let path, TextModelLocator.explicitDirectorySource):
                return "\(TextModelError.directoryNotFound(path: path, source: "--text-model"))"
            case .modelNotFound, .directoryNotFound, .missingFile:
                return "\(error) (on the command line: --text-model DIR)"
            default:
                return "\(error)"
            }
        case let error as PublishedBaselinesError:
            return "\(error) (on the command line: --baselines-file FILE)"
        default:
            return "\(error)"
        }
    }

    /// Runs a library check for `validate()`: its error becomes a `ValidationError` in flags,
    /// which ArgumentParser prints with the usage.
    static func validating(
        renaming: [GroundingInput: String] = [:], _ check: () throws -> Void
    ) throws {
        do {
            try check()
        } catch {
            throw ValidationError(message(for: error, renaming: renaming))
        }
    }

    /// Runs `body`, turning library errors into a clear message on standard error and exit
    /// code 1 (ArgumentParser would print only the type name of an unknown error).
    static func reportingErrors(
        renaming: [GroundingInput: String] = [:], _ body: () throws -> Void
    ) throws {
        do {
            try body()
        } catch let error as ValidationError {
            throw error
        } catch let error as CleanExit {
            throw error
        } catch let error as ExitCode {
            throw error
        } catch {
            let text = message(for: error, renaming: renaming)
            FileHandle.standardError.write(Data("error: \(text)\n".utf8))
            throw ExitCode.failure
        }
    }
}

import Foundation
import Tensors
import VTGCore

/// A run's log, `RUN_DIR/log.jsonl`: one JSON record per epoch and line. Each record is
/// appended (the file opened for appending, written, flushed to disk with fsync), never
/// rewritten; resuming reads the records back, strictly.
struct TrainingLog<Record: TrainingRecord> {
    /// The log file.
    let url: URL

    /// The log at `url`.
    init(_ url: URL) {
        self.url = url
    }

    /// Appends `record` as one line and waits until it is on disk.
    func append(_ record: Record) throws(TrainingLogError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var line: Data
        do { line = try encoder.encode(record) } catch {
            throw .unwritable(path: url.path, reason: "the record does not encode: \(error)")
        }
        line.append(UInt8(ascii: "\n"))
        let descriptor = open(url.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .unwritable(path: url.path, reason: String(cString: strerror(errno)))
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            WriteFaultInjection.reachWriteStep()
            try handle.write(contentsOf: line)
            WriteFaultInjection.reachWriteStep()
            try handle.synchronize()
            try handle.close()
        } catch {
            throw .unwritable(path: url.path, reason: FileErrorReason.of(error))
        }
    }

    /// Every record, in file order. An absent or unreadable file, or a line that is not a
    /// record, is an error naming the file (and the line).
    func records() throws(TrainingLogError) -> [Record] {
        try lines().map(\.record)
    }

    /// The records of epochs `0..<epoch`, which must be the log's first lines, in order (what
    /// resuming after `epoch` epochs needs). Records after them (an epoch logged before its
    /// state was saved, then interrupted) are cut from the file, so that the resumed run logs
    /// that epoch again exactly once.
    func records(before epoch: Int) throws(TrainingLogError) -> [Record] {
        let lines = try lines()
        let kept = lines.prefix(epoch)
        guard kept.map(\.record.epoch) == Array(0..<epoch) else {
            throw .epochsMissing(
                path: url.path, expected: epoch, found: lines.map(\.record.epoch))
        }
        if lines.count > epoch {
            do {
                let handle = try FileHandle(forWritingTo: url)
                WriteFaultInjection.reachWriteStep()
                try handle.truncate(atOffset: UInt64(kept.last?.end ?? 0))
                try handle.synchronize()
                try handle.close()
            } catch {
                throw .unwritable(path: url.path, reason: FileErrorReason.of(error))
            }
        }
        return kept.map(\.record)
    }

    /// Removes the log (a fresh run starts an empty one); nothing when there is none.
    func remove() throws(TrainingLogError) {
        guard FileManager.default.fileExists(atPath: url.path) else { return }
        do { try FileManager.default.removeItem(at: url) } catch {
            throw .unwritable(path: url.path, reason: FileErrorReason.of(error))
        }
    }

    /// Each line's record and the byte offset just past the line.
    private func lines() throws(TrainingLogError) -> [(record: Record, end: Int)] {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw .unreadable(path: url.path, reason: "the file is missing")
        }
        let bytes: [UInt8]
        do { bytes = Array(try Data(contentsOf: url)) } catch {
            throw .unreadable(path: url.path, reason: "\(error)")
        }
        let decoder = JSONDecoder()
        var result: [(record: Record, end: Int)] = []
        var start = 0
        var number = 0
        while start < bytes.count {
            number += 1
            let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            do {
                let record = try decoder.decode(Record.self, from: Data(bytes[start..<newline]))
                result.append((record, min(newline + 1, bytes.count)))
            } catch {
                throw .undecodableLine(path: url.path, line: number, reason: Self.reason(error))
            }
            start = newline + 1
        }
        return result
    }

    /// What is wrong with a line, in a few words.
    private static func reason(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _):
            return "no \"\(key.stringValue)\""
        case DecodingError.typeMismatch(_, let context),
            DecodingError.valueNotFound(_, let context):
            let key = context.codingPath.map(\.stringValue).joined(separator: ".")
            return "\"\(key)\": \(context.debugDescription)"
        case DecodingError.dataCorrupted:
            return "not a JSON object"
        default:
            return "\(error)"
        }
    }
}

/// Errors of a run's log: each names the file (and line) and what to do.
public enum TrainingLogError: Error, CustomStringConvertible, Equatable {
    /// The log cannot be read (absent, or not readable).
    case unreadable(path: String, reason: String)
    /// Line `line` (from 1) is not a record of the run's kind.
    case undecodableLine(path: String, line: Int, reason: String)
    /// The log does not start with the records of epochs `0..<expected`; `found` lists the
    /// epochs it holds, in order.
    case epochsMissing(path: String, expected: Int, found: [Int])
    /// The log cannot be written.
    case unwritable(path: String, reason: String)

    /// The message, with what to do.
    public var description: String {
        let retry = "restore the log, or train again from the start"
        switch self {
        case .unreadable(let path, let reason):
            return "\(path): the training log cannot be read (\(reason)); a run resumes only "
                + "with the log of the epochs it saved: \(retry)"
        case .undecodableLine(let path, let line, let reason):
            return "\(path):\(line): not an epoch record of this run (\(reason)); \(retry)"
        case .epochsMissing(let path, let expected, let found):
            return "\(path): the run saved \(expected) epoch(s) but the log holds the records "
                + "of epochs \(found) (numbered from 0); \(retry)"
        case .unwritable(let path, let reason):
            return "\(path): the training log cannot be written (\(reason)); check the run "
                + "directory's permissions and free space"
        }
    }
}

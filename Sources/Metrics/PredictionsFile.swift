import Foundation
import VTGCore

/// Why a predictions file could not be read or scored (a bad line is only counted and located,
/// see ``PredictionsFile/malformedLines``, unless scoring is strict).
public enum PredictionsFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file does not exist or cannot be read.
    case unreadable(path: String, reason: String)
    /// The file could not be written.
    case cannotWrite(path: String, reason: String)
    /// The file holds no usable prediction (empty, or every line malformed); the first
    /// malformed lines say why.
    case noPredictions(path: String, malformedLines: [PredictionsFile.MalformedLine])
    /// Strict scoring: these lines are malformed or predict another video than their query's.
    case rejectedLines(path: String, lines: [PredictionsFile.MalformedLine])

    /// A message naming the file and what to do.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "\(path): cannot read the predictions (\(reason)). Pass a JSONL file with one "
                + "{\"qid\", \"vid\", \"pred_relevant_windows\"} object a line."
        case .cannotWrite(let path, let reason):
            return "\(path): cannot write the predictions (\(reason)). Check the directory exists "
                + "and is writable."
        case .noPredictions(let path, let lines):
            let why = lines.isEmpty ? "the file is empty" : Self.list(lines, path: path)
            return "\(path): no usable prediction (\(why)). Pass a JSONL file with one "
                + "{\"qid\", \"vid\", \"pred_relevant_windows\"} object a line."
        case .rejectedLines(let path, let lines):
            return "\(path): \(lines.count) line(s) rejected in strict mode: "
                + Self.list(lines, path: path) + ". Fix them, or score without --strict to "
                + "ignore them."
        }
    }

    /// The first few lines as `path:line: reason`, then how many more.
    public static func list(_ lines: [PredictionsFile.MalformedLine], path: String) -> String {
        let shown = lines.prefix(PredictionsFile.MalformedLine.shownInMessages)
        let more = lines.count - shown.count
        return shown.map { "\(path):\($0.line): \($0.reason)" }.joined(separator: "; ")
            + (more > 0 ? "; and \(more) more" : "")
    }
}

/// A predictions file in the QVHighlights submission layout (JSON Lines):
/// `{"qid": 2579, "query": "...", "vid": "...",
/// "pred_relevant_windows": [[start, end, score], ...], "pred_saliency_scores": [...]}`;
/// `qid` may be omitted, then the line's position (0-based, blank lines skipped) stands for it.
public struct PredictionsFile: Sendable {
    /// A line that could not be used, and why.
    public struct MalformedLine: Hashable, Codable, Sendable {
        /// 1-based line number.
        public var line: Int
        /// What was wrong.
        public var reason: String
        /// How many lines an error message lists before saying how many more there are.
        public static let shownInMessages = 10

        /// Line `line` and what was wrong with it.
        public init(line: Int, reason: String) {
            self.line = line
            self.reason = reason
        }
    }

    /// The usable lines, in file order, each with its position among the non-blank lines and
    /// its 1-based line number.
    public var predictions: [(position: Int, line: Int, prediction: QueryPrediction)]
    /// The lines that were not valid predictions.
    public var malformedLines: [MalformedLine]

    /// Reads `url`, collecting malformed lines instead of failing on them.
    public static func read(_ url: URL) throws(PredictionsFileError) -> PredictionsFile {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw .unreadable(path: url.path, reason: "no such file")
        }
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            let bytes = (try? Data(contentsOf: url)).map { [UInt8]($0) } ?? []
            do {
                _ = try TextLines.decode(bytes, source: url.path)
            } catch {
                throw .unreadable(
                    path: url.path,
                    reason: "line \(error.line) is not valid UTF-8 (byte \(error.byteColumn))")
            }
            throw .unreadable(path: url.path, reason: FileErrorReason.of(error))
        }
        var predictions: [(position: Int, line: Int, prediction: QueryPrediction)] = []
        var malformed: [MalformedLine] = []
        var position = 0
        for (lineNumber, line) in TextLines.nonBlankLines(of: text) {
            defer { position += 1 }
            switch parse(line) {
            case .success(let prediction): predictions.append((position, lineNumber, prediction))
            case .failure(let problem):
                malformed.append(MalformedLine(line: lineNumber, reason: problem.reason))
            }
        }
        return PredictionsFile(predictions: predictions, malformedLines: malformed)
    }

    private struct LineProblem: Error {
        var reason: String
    }

    private static func parse(_ line: Substring) -> Result<QueryPrediction, LineProblem> {
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes: Array(line.utf8)[...])
        } catch {
            return .failure(
                LineProblem(reason: "not JSON (column \(error.column): \(error.reason))"))
        }
        guard json.objectMembers != nil else {
            return .failure(LineProblem(reason: "not a JSON object"))
        }
        var queryID: Int?
        if let value = json["qid"] {
            guard let integer = value.integerValue else {
                return .failure(LineProblem(reason: "qid \(value.serialized()) is not an integer"))
            }
            queryID = integer
        }
        var windows: [ScoredSpan] = []
        if let list = json["pred_relevant_windows"] {
            guard let entries = list.arrayValue else {
                return .failure(LineProblem(reason: "pred_relevant_windows is not an array"))
            }
            for entry in entries {
                guard let triple = entry.arrayValue, triple.count == 3,
                    let start = triple[0].numberValue, let end = triple[1].numberValue,
                    let score = triple[2].numberValue, start.isFinite, end.isFinite, score.isFinite
                else {
                    return .failure(
                        LineProblem(
                            reason: "window \(entry.serialized()) is not [start, end, score]"))
                }
                windows.append(ScoredSpan(startSeconds: start, endSeconds: end, score: score))
            }
        }
        var clipScores: [Double]?
        if let list = json["pred_saliency_scores"] {
            guard let scores = list.arrayValue?.compactMap(\.numberValue),
                scores.count == list.arrayValue?.count
            else {
                return .failure(
                    LineProblem(reason: "pred_saliency_scores is not a list of numbers"))
            }
            clipScores = scores
        }
        if json["pred_relevant_windows"] == nil && clipScores == nil {
            return .failure(LineProblem(reason: "no pred_relevant_windows"))
        }
        return .success(
            QueryPrediction(
                queryID: queryID, videoID: json["vid"]?.stringValue,
                query: json["query"]?.stringValue,
                windows: windows, clipScores: clipScores))
    }

    /// Writes `predictions` in the submission layout, one line each, keys in the order
    /// `qid, query, vid, pred_relevant_windows[, pred_saliency_scores]`.
    public static func write(_ predictions: [QueryPrediction], to url: URL)
        throws(PredictionsFileError)
    {
        var text = ""
        for prediction in predictions {
            var members: [JSONMember] = []
            if let queryID = prediction.queryID {
                members.append(JSONMember("qid", .number(Double(queryID))))
            }
            if let query = prediction.query { members.append(JSONMember("query", .string(query))) }
            if let videoID = prediction.videoID {
                members.append(JSONMember("vid", .string(videoID)))
            }
            members.append(
                JSONMember(
                    "pred_relevant_windows",
                    .array(
                        prediction.windows.map {
                            .array([
                                .number($0.span.startSeconds), .number($0.span.endSeconds),
                                .number($0.score),
                            ])
                        })))
            if let scores = prediction.clipScores {
                members.append(
                    JSONMember("pred_saliency_scores", .array(scores.map { .number($0) })))
            }
            text += JSONValue.object(members).serialized() + "\n"
        }
        do {
            try Data(text.utf8).write(to: url)
        } catch {
            throw .cannotWrite(path: url.path, reason: FileErrorReason.of(error))
        }
    }
}

import Foundation
import VTGCore

/// Reads Charades-STA: `charades_sta_S.txt` lines `VIDEO START END##sentence` (seconds), with the
/// video durations from `Charades_v1_S.csv` (column `length`) or, when that file is absent, from
/// VSLNet's `charades.json` (`{video: {"duration": seconds, ...}}`).
enum CharadesSTAReader {
    /// The durations file used for `split`: the CSV if present, else `charades.json`.
    static func durationsFile(split: String, in directory: URL) -> URL {
        let csv = directory.appendingPathComponent("Charades_v1_\(split).csv")
        if FileManager.default.fileExists(atPath: csv.path) { return csv }
        return directory.appendingPathComponent("charades.json")
    }

    static func read(split: String, in directory: URL, recorder: inout AnomalyRecorder)
        throws(DatasetError) -> [RawAnnotation]
    {
        let annotationURL = DatasetName.charadesSTA.annotationFile(split: split, in: directory)
        let text = try AnnotationFile.readText(
            annotationURL, expected: "Charades-STA moments, one 'VIDEO START END##sentence' a line")
        let durations = try readDurations(split: split, in: directory)
        let path = annotationURL.path

        var records: [RawAnnotation] = []
        var queryID = 0
        for (lineNumber, line) in TextLines.nonBlankLines(of: text) {
            defer { queryID += 1 }
            let location = SourceLocation(file: path, line: lineNumber)
            guard let separator = line.range(of: "##") else {
                try recorder.record(
                    .malformedRecord, at: location, "no '##' between times and sentence")
                continue
            }
            let fields = line[..<separator.lowerBound].split(whereSeparator: \.isWhitespace)
            guard fields.count == 3, let start = Double(fields[1]), let end = Double(fields[2])
            else {
                try recorder.record(
                    .malformedRecord, at: location,
                    "expected 'VIDEO START END' before '##', found "
                        + AnomalyPolicy.quoted(String(line[..<separator.lowerBound])))
                continue
            }
            let videoID = String(fields[0])
            let duration: Double
            switch durations[videoID] {
            case .some(.valid(let seconds)):
                duration = seconds
            case .some(.invalid(let detail)):
                try recorder.record(.invalidDuration, at: location, "video \(videoID): \(detail)")
                continue
            case .none:
                try recorder.record(
                    .missingDuration, at: location,
                    "video \(videoID) is not in \(durations.sourcePath)")
                continue
            }
            records.append(
                RawAnnotation(
                    queryID: queryID, videoID: videoID, durationSeconds: duration,
                    query: String(line[separator.upperBound...]),
                    spans: [TimeSpan(startSeconds: start, endSeconds: end)], saliency: nil,
                    location: location))
        }
        return records
    }

    /// A video's duration as found in the durations file.
    enum Duration {
        case valid(Double)
        case invalid(String)
    }

    /// Durations by video id, and the file they came from.
    struct Durations {
        var byVideo: [String: Duration] = [:]
        var sourcePath: String
        subscript(videoID: String) -> Duration? { byVideo[videoID] }
    }

    static func readDurations(split: String, in directory: URL) throws(DatasetError) -> Durations {
        let url = durationsFile(split: split, in: directory)
        if url.pathExtension == "csv" { return try readCSVDurations(url) }
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw .fileNotFound(
                path: directory.appendingPathComponent("Charades_v1_\(split).csv").path,
                expected: "the Charades video durations (column 'length'); VSLNet's "
                    + "charades.json in the same directory also works")
        }
        let json = try AnnotationFile.readJSON(url, expected: "VSLNet's charades.json")
        guard let members = json.objectMembers else {
            throw .unexpectedStructure(
                location: SourceLocation(file: url.path), expected: "an object keyed by video id",
                found: json.kindDescription)
        }
        var durations = Durations(sourcePath: url.path)
        for member in members {
            if let seconds = member.value["duration"]?.numberValue, seconds.isFinite, seconds > 0 {
                durations.byVideo[member.key] = .valid(seconds)
            } else {
                durations.byVideo[member.key] = .invalid(
                    "duration in \(url.path) (key \(member.key).duration) is missing or not "
                        + "positive"
                )
            }
        }
        return durations
    }

    static func readCSVDurations(_ url: URL) throws(DatasetError) -> Durations {
        let text = try AnnotationFile.readText(url, expected: "the Charades video durations")
        let table = CSVTable(parsing: text)
        guard let idColumn = table.header.firstIndex(of: "id") else {
            throw .missingColumn(path: url.path, column: "id", header: table.header)
        }
        guard let lengthColumn = table.header.firstIndex(of: "length") else {
            throw .missingColumn(path: url.path, column: "length", header: table.header)
        }
        var durations = Durations(sourcePath: url.path)
        for record in table.records {
            guard record.fields.count > idColumn else { continue }
            let videoID = record.fields[idColumn]
            guard record.fields.count > lengthColumn else {
                durations.byVideo[videoID] = .invalid(
                    "row \(url.path):\(record.line) has \(record.fields.count) fields, "
                        + "no 'length'")
                continue
            }
            let text = record.fields[lengthColumn].trimmingCharacters(in: .whitespaces)
            if let seconds = Double(text), seconds.isFinite, seconds > 0 {
                durations.byVideo[videoID] = .valid(seconds)
            } else {
                durations.byVideo[videoID] = .invalid(
                    "length \(AnomalyPolicy.quoted(text)) at \(url.path):\(record.line) "
                        + "is not a positive number")
            }
        }
        return durations
    }
}

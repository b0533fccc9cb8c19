import Foundation
import VTGCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `manifest.jsonl` in a features folder: one `ManifestEntry` per line, appended as each video's
/// features are written.
///
/// Several processes (shards on one or several machines) may append to one manifest: each line
/// goes out in a single `write` on a descriptor opened with `O_APPEND`, so lines never interleave
/// (POSIX: each append lands whole at the end of the file). A video extracted again (after a
/// configuration change) gets a new line; the last line of a video id is the one that counts.
public enum FeatureManifest {
    /// The manifest's file name.
    public static let fileName = "manifest.jsonl"

    /// The manifest of the features folder `directory`.
    public static func url(in directory: URL) -> URL {
        directory.appendingPathComponent(fileName)
    }

    /// The entries of the manifest at `url` by video id (the last line of each id), empty when
    /// there is no manifest yet. Lines that do not parse as entries (a line cut by a crash) are
    /// skipped: they describe nothing complete, and their videos are extracted again.
    public static func entries(at url: URL) throws(ExtractionError) -> [String: ManifestEntry] {
        guard FileManager.default.fileExists(atPath: url.path) else { return [:] }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadableFile(path: url.path, reason: "\(error)")
        }
        var entries: [String: ManifestEntry] = [:]
        for line in data.split(separator: UInt8(ascii: "\n")) {
            guard let json = try? JSONParser.parse(bytes: ArraySlice(line)),
                let entry = ManifestEntry(json: json)
            else { continue }
            entries[entry.videoID] = entry
        }
        return entries
    }

    /// Appends `entry` as one line to the manifest at `url` (created when absent) in a single
    /// `write`, then flushes it to disk. When the file does not end with a line break (a line cut
    /// by a crash), the line starts with one, so that the cut line stays alone.
    public static func append(_ entry: ManifestEntry, to url: URL) throws(ExtractionError) {
        let descriptor = open(url.path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .cannotWrite(path: url.path, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        var lastByte: UInt8 = UInt8(ascii: "\n")
        let size = lseek(descriptor, 0, SEEK_END)
        if size > 0 { _ = pread(descriptor, &lastByte, 1, size - 1) }
        // Another shard may append between the check and the write: at worst an empty line.
        let separator = lastByte == UInt8(ascii: "\n") ? "" : "\n"
        let line = Array((separator + entry.json.serialized() + "\n").utf8)
        let written = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == line.count else {
            let reason =
                written < 0
                ? String(cString: strerror(errno)) : "wrote \(written) of \(line.count) bytes"
            throw .cannotWrite(path: url.path, reason: reason)
        }
        guard fsync(descriptor) == 0 else {
            throw .cannotWrite(path: url.path, reason: String(cString: strerror(errno)))
        }
    }
}

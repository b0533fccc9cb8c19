import Foundation
import ZIPFoundation

/// A numpy `.npz` archive: a ZIP file of `.npy` members, stored (`np.savez`) or deflated
/// (`np.savez_compressed`); member `key.npy` holds the array saved under `key`.
public enum NumpyArchive {
    /// Why an archive member could not be read.
    enum ReadError: Error {
        /// The file is not a readable ZIP archive.
        case notAnArchive(String)
        /// No member `key.npy`; `available` lists the keys present.
        case missingKey(available: [String])
        /// The member is not a valid `.npy` array.
        case malformedMember(String)
        /// The member's bytes do not match the CRC-32 the archive records for them.
        case checksumMismatch(member: String, expected: UInt32, actual: UInt32)
    }

    /// Reads the array stored under `key`.
    static func read(_ url: URL, key: String) throws(ReadError) -> ClipFeatures {
        let archive: Archive
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw .notAnArchive("\(error)")
        }
        guard let entry = archive["\(key).npy"] else {
            let keys = archive.map { $0.path }.filter { $0.hasSuffix(".npy") }
                .map { String($0.dropLast(4)) }
            throw .missingKey(available: keys.sorted())
        }
        var data = Data()
        let actual: CRC32
        do {
            actual = try archive.extract(entry, bufferSize: 1 << 20) { data.append($0) }
        } catch {
            throw .notAnArchive("cannot extract \(key).npy: \(error)")
        }
        // ZIPFoundation computes the checksum while extracting but leaves comparing it to us.
        guard actual == entry.checksum else {
            throw .checksumMismatch(member: entry.path, expected: entry.checksum, actual: actual)
        }
        do {
            return try NumpyArray.decode(data)
        } catch {
            throw .malformedMember(error.reason)
        }
    }

    /// Writes `features` as the only member `key.npy`, uncompressed, as `np.savez` does. Entry
    /// dates are fixed (1980-01-01, as numpy writes them) so equal inputs give equal bytes.
    ///
    /// Atomic: the archive is written to a hidden file beside `url` whose name starts with
    /// `partialFilePrefix(for: url)`, flushed to disk, then renamed over `url`; readers (and a
    /// rerun after a crash) see the old file or the new one, never a partial one. A process killed
    /// while writing leaves only the hidden file.
    public static func write(_ features: ClipFeatures, key: String, to url: URL) throws {
        let partial = url.deletingLastPathComponent().appendingPathComponent(
            partialFilePrefix(for: url) + String(UInt64.random(in: .min ... .max), radix: 36))
        // The archive closes its file when released, at the end of this function.
        func writeArchive() throws {
            let archive = try Archive(url: partial, accessMode: .create)
            let payload = NumpyArray.encode(features)
            let fixedDate = Date(timeIntervalSince1970: 315_532_800)  // 1980-01-01T00:00:00Z
            try archive.addEntry(
                with: "\(key).npy", type: .file, uncompressedSize: Int64(payload.count),
                modificationDate: fixedDate, compressionMethod: .none
            ) { position, size in
                payload.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
        do {
            try writeArchive()
            let handle = try FileHandle(forUpdating: partial)
            try handle.synchronize()
            try handle.close()
            guard rename(partial.path, url.path) == 0 else {
                throw CocoaError(
                    .fileWriteUnknown,
                    userInfo: [NSFilePathErrorKey: url.path, "errno": errno])
            }
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
    }

    /// The start of the hidden file names `write(_:key:to:)` writes before renaming to `url`:
    /// `.NAME.partial-` in the same folder. Leftovers of a killed writer match it.
    public static func partialFilePrefix(for url: URL) -> String {
        "." + url.lastPathComponent + ".partial-"
    }
}

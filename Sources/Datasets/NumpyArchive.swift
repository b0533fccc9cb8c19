import Foundation
import ZIPFoundation

/// A numpy `.npz` archive: a ZIP file of `.npy` members, stored (`np.savez`) or deflated
/// (`np.savez_compressed`); member `key.npy` holds the array saved under `key`.
enum NumpyArchive {
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
    static func write(_ features: ClipFeatures, key: String, to url: URL) throws {
        if FileManager.default.fileExists(atPath: url.path) {
            try FileManager.default.removeItem(at: url)
        }
        let archive = try Archive(url: url, accessMode: .create)
        let payload = NumpyArray.encode(features)
        let fixedDate = Date(timeIntervalSince1970: 315_532_800)  // 1980-01-01T00:00:00Z
        try archive.addEntry(
            with: "\(key).npy", type: .file, uncompressedSize: Int64(payload.count),
            modificationDate: fixedDate, compressionMethod: .none
        ) { position, size in
            payload.subdata(in: Int(position)..<(Int(position) + size))
        }
    }
}

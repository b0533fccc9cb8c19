import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Replaces a file atomically: write a temporary file in the same folder, `fsync` it, rename it
/// over the target (atomic on POSIX file systems), then `fsync` the folder so the rename itself
/// survives a crash. Readers see the old file or the new one, never a partial one.
public enum AtomicFileWriter {
    /// The temporary file being written.
    struct Output {
        let descriptor: Int32

        /// Writes all of `bytes`, retrying short writes and interrupted calls.
        func write(_ bytes: UnsafeRawBufferPointer) throws(FileSystemError) {
            guard var cursor = bytes.baseAddress else { return }
            var remaining = bytes.count
            while remaining > 0 {
                let written = systemWrite(descriptor, cursor, remaining)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw FileSystemError.fromErrno()
                }
                cursor += written
                remaining -= written
            }
        }

        /// Writes the bytes of `array`'s elements, in memory order.
        func write<Element>(contentsOf array: [Element]) throws(FileSystemError) {
            let result = array.withUnsafeBytes { bytes in
                Result { () throws(FileSystemError) in try write(bytes) }
            }
            try result.get()
        }
    }

    /// Removes the temporary files that writes killed before their rename left in `folder`
    /// (`.NAME.tmp-*`); returns their names. Only for a folder no other process writes into.
    @discardableResult
    public static func removeInterruptedWrites(in folder: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let stale = names.filter { $0.hasPrefix(".") && $0.contains(".tmp-") }.sorted()
        for name in stale { unlink(folder.appendingPathComponent(name).path) }
        return stale
    }

    /// Writes the file at `path` through `body`; on any failure the temporary file is removed and
    /// the target left as it was.
    static func write(
        to path: String, _ body: (Output) throws(FileSystemError) -> Void
    ) throws(FileSystemError) {
        let target = URL(fileURLWithPath: path)
        let folder = target.deletingLastPathComponent().path
        let prefix = folder + "/." + target.lastPathComponent + ".tmp-"
        var temporaryPath = ""
        var descriptor: Int32 = -1
        for _ in 0..<8 {
            temporaryPath = prefix + String(UInt64.random(in: .min ... .max), radix: 36)
            descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if descriptor >= 0 || errno != EEXIST { break }
        }
        guard descriptor >= 0 else {
            throw FileSystemError.fromErrno("cannot create a temporary file in \(folder)")
        }
        do throws(FileSystemError) {
            try body(Output(descriptor: descriptor))
            WriteFaultInjection.reachWriteStep()
            guard fsync(descriptor) == 0 else {
                throw FileSystemError.fromErrno("fsync")
            }
            let closeResult = close(descriptor)
            descriptor = -1
            guard closeResult == 0 else {
                throw FileSystemError.fromErrno("close")
            }
            WriteFaultInjection.reachWriteStep()
            guard rename(temporaryPath, path) == 0 else {
                throw FileSystemError.fromErrno("cannot rename the temporary file into place")
            }
        } catch {
            if descriptor >= 0 { close(descriptor) }
            unlink(temporaryPath)
            throw error
        }
        WriteFaultInjection.reachWriteStep()
        let folderDescriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderDescriptor >= 0 {
            fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }
}

/// The system's `write`, under a name that the `Output.write` method does not shadow.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}

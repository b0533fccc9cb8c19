#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A read-only memory map of a whole file, unmapped when the last reference goes away.
///
/// Mapping instead of reading means opening a 90 MB checkpoint costs nothing until a tensor is
/// read, and each tensor is copied once, from the page cache into its array. The mapping is
/// private: if another process truncates the file while it is mapped, reads of the lost pages
/// crash, as with any mapped file; the atomic writer replaces files by rename, which is safe.
final class MappedFile: @unchecked Sendable {
    /// The file's bytes; valid for the lifetime of this object. Immutable, hence `Sendable`.
    let bytes: UnsafeRawBufferPointer

    /// Maps the file at `path`; throws the system's reason when it cannot be opened or mapped.
    init(path: String) throws(FileSystemError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileSystemError(reason: MappedFile.systemMessage()) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw FileSystemError(reason: MappedFile.systemMessage())
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw FileSystemError(reason: "not a regular file")
        }
        let byteCount = Int(status.st_size)
        guard byteCount > 0 else {
            // mmap refuses empty ranges; an empty file is an empty buffer.
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        let address = mmap(nil, byteCount, PROT_READ, MAP_PRIVATE, descriptor, 0)
        guard let address, address != MAP_FAILED else {
            throw FileSystemError(reason: MappedFile.systemMessage())
        }
        bytes = UnsafeRawBufferPointer(start: address, count: byteCount)
    }

    deinit {
        if let address = bytes.baseAddress {
            munmap(UnsafeMutableRawPointer(mutating: address), bytes.count)
        }
    }

    /// The message of the current `errno`.
    static func systemMessage() -> String {
        String(cString: strerror(errno))
    }
}

/// Why a file operation failed, as the system says it (`strerror`), with the path where useful.
struct FileSystemError: Error {
    let reason: String
}

import CFFmpeg
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// SHA-256 digests of files, streamed in 1 MiB blocks (memory stays flat for any size), by
/// libavutil's `av_sha`. A digest is written as 64 lower-case hexadecimal digits, as `sha256sum`
/// prints it.
public final class FileChecksum {
    private let context: OpaquePointer?
    private var finished = false

    /// The block read at a time.
    static let blockBytes = 1 << 20

    /// An empty digest, to feed with `update`.
    public init() {
        context = av_sha_alloc()
        precondition(context != nil, "FileChecksum: av_sha_alloc failed")
        av_sha_init(context, 256)
    }

    /// Adds `bytes` to the digest.
    public func update(_ bytes: UnsafeRawBufferPointer) {
        precondition(!finished, "FileChecksum.update after finalize")
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        av_sha_update(context, base.assumingMemoryBound(to: UInt8.self), bytes.count)
    }

    /// Adds the bytes of `data` to the digest.
    public func update(_ data: Data) {
        data.withUnsafeBytes { update($0) }
    }

    /// Adds the contents of the file at `path`, read into one reused block; returns how many
    /// bytes were read.
    @discardableResult
    public func update(contentsOfFile path: String) throws(ExtractionError) -> Int {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .unreadableFile(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        let block = UnsafeMutableRawBufferPointer.allocate(
            byteCount: Self.blockBytes, alignment: 64)
        defer { block.deallocate() }
        var total = 0
        while true {
            let count = read(descriptor, block.baseAddress, block.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadableFile(path: path, reason: String(cString: strerror(errno)))
            }
            if count == 0 { return total }
            update(UnsafeRawBufferPointer(rebasing: block[0..<count]))
            total += count
        }
    }

    deinit {
        av_free(UnsafeMutableRawPointer(context))
    }

    /// The digest as 64 hexadecimal digits; the checksum takes no more input afterwards.
    public func finalize() -> String {
        precondition(!finished, "FileChecksum.finalize called twice")
        finished = true
        var digest = [UInt8](repeating: 0, count: 32)
        av_sha_final(context, &digest)
        return digest.map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
    }

    /// The SHA-256 digest of the file at `path` and its size in bytes.
    public static func sha256(ofFile path: String) throws(ExtractionError)
        -> (digest: String, byteCount: Int)
    {
        let checksum = FileChecksum()
        let count = try checksum.update(contentsOfFile: path)
        return (checksum.finalize(), count)
    }

    /// The SHA-256 digest of the concatenated contents of the files at `paths`, in order.
    public static func sha256(ofFiles paths: [String]) throws(ExtractionError) -> String {
        let checksum = FileChecksum()
        for path in paths { try checksum.update(contentsOfFile: path) }
        return checksum.finalize()
    }
}

import CGzip
import Foundation

/// Decompresses gzip files (RFC 1952) with the system zlib: how the original CLIP vocabulary,
/// `bpe_simple_vocab_16e6.txt.gz`, is read.
enum GzipDecompression {
    /// The bytes of the gzip file `url`, decompressed; every member of a multi-member file, in
    /// order. `url` names the file in errors.
    static func contents(of url: URL) throws(TextModelError) -> [UInt8] {
        let compressed = [UInt8](try JSONConfigurationFile.contents(of: url))
        guard let bytes = decompressed(compressed) else {
            throw .unreadableFile(
                path: url.path, reason: "not a complete gzip file (zlib could not inflate it)")
        }
        return bytes
    }

    /// `compressed` inflated, or nil when it is not a complete, valid gzip stream.
    static func decompressed(_ compressed: [UInt8]) -> [UInt8]? {
        guard !compressed.isEmpty else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(compressed.count * 4)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var stream = z_stream()
        guard cgzip_inflate_init_gzip(&stream) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var input = compressed
        return input.withUnsafeMutableBufferPointer { inputBuffer -> [UInt8]? in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = uInt(inputBuffer.count)
            while true {
                let status = chunk.withUnsafeMutableBufferPointer { chunkBuffer -> Int32 in
                    stream.next_out = chunkBuffer.baseAddress
                    stream.avail_out = uInt(chunkBuffer.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                output += chunk[0..<(chunk.count - Int(stream.avail_out))]
                switch status {
                case Z_STREAM_END:
                    // Another gzip member may follow, as `gzip -c a b` writes them.
                    guard stream.avail_in > 0 else { return output }
                    guard inflateReset(&stream) == Z_OK else { return nil }
                case Z_OK:
                    // No progress possible: the input ended inside the stream.
                    if stream.avail_in == 0 && stream.avail_out > 0 { return nil }
                default:
                    return nil
                }
            }
        }
    }
}

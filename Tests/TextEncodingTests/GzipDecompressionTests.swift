import Testing

@testable import TextEncoding

@Suite struct GzipDecompressionTests {
    /// `gzip.compress(b"hello\n", mtime=0)` and the same of "world\n", from Python.
    static let hello: [UInt8] = [
        31, 139, 8, 0, 0, 0, 0, 0, 2, 3, 203, 72, 205, 201, 201, 231, 2, 0, 32, 48, 58, 54, 6, 0, 0,
        0,
    ]
    static let world: [UInt8] = [
        31, 139, 8, 0, 0, 0, 0, 0, 2, 3, 43, 207, 47, 202, 73, 225, 2, 0, 168, 97, 56, 221, 6, 0, 0,
        0,
    ]

    @Test func inflatesOneMemberAndConcatenatedMembers() {
        #expect(GzipDecompression.decompressed(Self.hello) == Array("hello\n".utf8))
        #expect(
            GzipDecompression.decompressed(Self.hello + Self.world) == Array("hello\nworld\n".utf8))
    }

    @Test func rejectsTruncatedCorruptAndEmptyInput() {
        #expect(GzipDecompression.decompressed(Array(Self.hello.dropLast(5))) == nil)
        var corrupt = Self.hello
        corrupt[20] ^= 0xFF  // the CRC-32
        #expect(GzipDecompression.decompressed(corrupt) == nil)
        #expect(GzipDecompression.decompressed(Array("plain text".utf8)) == nil)
        #expect(GzipDecompression.decompressed([]) == nil)
    }
}

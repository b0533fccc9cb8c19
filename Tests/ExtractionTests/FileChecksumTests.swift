import Extraction
import Foundation
import TestSupport
import Testing

@Suite struct FileChecksumTests {
    @Test func emptyInputHasTheStandardDigest() {
        let checksum = FileChecksum()
        #expect(
            checksum.finalize()
                == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func abcHasTheFIPSDigest() {
        // FIPS 180-2, appendix B.1.
        let checksum = FileChecksum()
        checksum.update(Data("abc".utf8))
        #expect(
            checksum.finalize()
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func aVideoFileHasTheDigestItsPackageIsCheckedAgainst() throws {
        // Scripts/fetch_test_videos.sh checks bikes.mp4 against this SHA-256 (sha256sum's).
        let path = TestVideoFolder.path("bikes.mp4")
        let result = try FileChecksum.sha256(ofFile: path)
        #expect(result.digest == "91028f9d6c72cc8137d8bd05678bdfcf5ab7c8fd9d7b77de70ce7a3ade257bb5")
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
        #expect(result.byteCount == size)
    }

    @Test func filesSpanningBlocksHashAsTheirConcatenation() throws {
        let directory = try TemporaryDirectory(label: "checksum")
        // 2.5 blocks and a few bytes: the streaming crosses block boundaries.
        let first = Data((0..<(FileChecksumTests.blockBytes * 5 / 2 + 3)).map { UInt8($0 % 251) })
        let second = Data("tail".utf8)
        try first.write(to: directory.file("a"))
        try second.write(to: directory.file("b"))
        try (first + second).write(to: directory.file("ab"))
        let joined = try FileChecksum.sha256(
            ofFiles: [directory.file("a").path, directory.file("b").path])
        #expect(joined == (try FileChecksum.sha256(ofFile: directory.file("ab").path).digest))
        #expect(joined != (try FileChecksum.sha256(ofFile: directory.file("a").path).digest))
    }

    @Test func aMissingFileIsAnErrorNamingIt() {
        #expect(throws: ExtractionError.self) {
            try FileChecksum.sha256(ofFile: "/nonexistent/video.mp4")
        }
    }

    static let blockBytes = 1 << 20
}

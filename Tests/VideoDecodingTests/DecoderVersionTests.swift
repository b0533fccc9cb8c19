import Foundation
import Testing

@testable import VideoDecoding

@Suite struct DecoderVersionTests {
    @Test func packedVersionsReadAsMajorMinorMicro() {
        #expect(DecoderVersion.text(of: 60 << 16 | 31 << 8 | 102) == "60.31.102")
    }

    @Test func descriptionNamesTheFourLibrariesWithTheirLoadedVersions() throws {
        let description = DecoderVersion.description
        for library in ["libavformat", "libavcodec", "libavutil", "libswscale"] {
            #expect(description.contains("\(library) "), "\(description)")
        }
        // The loaded libavcodec is the one ffmpeg's command line reports (same Debian package).
        let banner = String(
            decoding: try FFmpegCommandLine.run("ffmpeg", ["-version"]), as: UTF8.self)
        let codecLine = banner.split(separator: "\n").first { $0.hasPrefix("libavcodec") }
        let digits = codecLine.map {
            $0.filter { $0.isNumber || $0 == "." || $0 == " " || $0 == "/" }
        }
        let loaded =
            DecoderVersion.description.split(separator: ",")[1]
            .split(separator: " ").last.map(String.init) ?? ""
        #expect(
            digits?.replacingOccurrences(of: " ", with: "").hasPrefix(loaded) == true,
            "ffmpeg -version: \(codecLine ?? "none"), loaded \(loaded)")
    }
}

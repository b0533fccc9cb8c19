import Extraction
import Tensors
import Testing
import VTGCore

@Suite struct ManifestEntryTests {
    static let entry = ManifestEntry(
        videoID: "bikes", file: "/data/bikes.mp4", fileBytes: 765_216, fileSHA256: "91028f9d",
        durationSeconds: 10, clips: 5, framesDecoded: 250, featuresFile: "bikes.npz",
        featuresBytes: 10_432, featuresSHA256: "abcd", featureKind: "clip-vit-b-32",
        featureDimension: 512, modelSHA256: "5678", clipSeconds: 2, framesPerClip: 1,
        normalize: false, decoder: "libavcodec 59.37.100")

    @Test func aLineRoundTripsAndKeepsItsKeyOrder() throws {
        let line = Self.entry.json.serialized()
        #expect(
            line.hasPrefix(
                #"{"video_id": "bikes", "file": "/data/bikes.mp4", "file_bytes": 765216"#))
        #expect(!line.contains("\n"))
        #expect(ManifestEntry(json: try JSONParser.parse(line)) == Self.entry)
    }

    @Test func aLineMissingAKeyOrOfTheWrongTypeIsNoEntry() throws {
        #expect(ManifestEntry(json: try JSONParser.parse(#"{"video_id": "a"}"#)) == nil)
        let wrongType = Self.entry.json.serialized().replacingOccurrences(
            of: #""clips": 5"#, with: #""clips": "5""#)
        #expect(ManifestEntry(json: try JSONParser.parse(wrongType)) == nil)
    }

    @Test func matchingComparesTheSettingsNotTheDecoder() {
        let entry = Self.entry
        #expect(
            entry.matches(modelSHA256: "5678", clipSeconds: 2, framesPerClip: 1, normalize: false))
        #expect(
            !entry.matches(modelSHA256: "0000", clipSeconds: 2, framesPerClip: 1, normalize: false))
        #expect(
            !entry.matches(modelSHA256: "5678", clipSeconds: 1, framesPerClip: 1, normalize: false))
        #expect(
            !entry.matches(modelSHA256: "5678", clipSeconds: 2, framesPerClip: 2, normalize: false))
        #expect(
            !entry.matches(modelSHA256: "5678", clipSeconds: 2, framesPerClip: 1, normalize: true))
    }

    @Test func theEncodersPrecisionIsRecordedAndMatched() throws {
        var entry = Self.entry
        entry.precision = .int8
        let line = entry.json.serialized()
        #expect(line.contains(#""normalize": false, "precision": "int8", "decoder""#))
        #expect(ManifestEntry(json: try JSONParser.parse(line)) == entry)
        #expect(
            entry.matches(
                modelSHA256: "5678", clipSeconds: 2, framesPerClip: 1, normalize: false,
                precision: .int8))
        #expect(
            !entry.matches(modelSHA256: "5678", clipSeconds: 2, framesPerClip: 1, normalize: false))
        let unknown = line.replacingOccurrences(of: #""int8""#, with: #""fp8""#)
        #expect(ManifestEntry(json: try JSONParser.parse(unknown)) == nil)
    }

    @Test func aLineWrittenBeforePrecisionsIsFloat32() throws {
        let line = Self.entry.json.serialized().replacingOccurrences(
            of: #""precision": "float32", "#, with: "")
        #expect(!line.contains("precision"))
        #expect(ManifestEntry(json: try JSONParser.parse(line))?.precision == .float32)
    }
}

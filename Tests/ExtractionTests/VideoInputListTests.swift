import Extraction
import Foundation
import TestSupport
import Testing

@Suite struct VideoInputListTests {
    @Test func foldersGiveTheirVideoFilesSortedByID() throws {
        let directory = try TemporaryDirectory(label: "inputs")
        for name in ["b.mp4", "a.MKV", "notes.txt", ".hidden.mp4", "c.webm"] {
            try Data().write(to: directory.file(name))
        }
        try FileManager.default.createDirectory(
            at: directory.file("nested"), withIntermediateDirectories: true)
        try Data().write(to: directory.file("nested/d.mp4"))
        let videos = try VideoInputList.videos(in: [directory.url.path])
        #expect(videos.map(\.videoID) == ["a", "b", "c"])
        #expect(videos[0].path == directory.file("a.MKV").standardizedFileURL.path)
    }

    @Test func filesNamedOneByOneAreTakenWhateverTheirExtension() throws {
        let directory = try TemporaryDirectory(label: "inputs")
        try Data().write(to: directory.file("clip.bin"))
        try Data().write(to: directory.file("a.mp4"))
        let videos = try VideoInputList.videos(in: [
            directory.file("clip.bin").path, directory.url.path, directory.file("a.mp4").path,
        ])
        // a.mp4 named directly and through its folder is one video.
        #expect(videos.map(\.videoID) == ["a", "clip"])
    }

    @Test func twoFilesWithOneIDAreAnError() throws {
        let directory = try TemporaryDirectory(label: "inputs")
        try Data().write(to: directory.file("a.mp4"))
        try Data().write(to: directory.file("a.avi"))
        #expect {
            try VideoInputList.videos(in: [directory.url.path])
        } throws: { error in
            guard case ExtractionError.duplicateVideoID(let videoID, let paths) = error else {
                return false
            }
            return videoID == "a" && paths.count == 2
        }
    }

    @Test func missingPathsAndFoldersWithoutVideosAreErrors() throws {
        let directory = try TemporaryDirectory(label: "inputs")
        #expect(throws: ExtractionError.self) {
            try VideoInputList.videos(in: [directory.file("absent.mp4").path])
        }
        #expect(throws: ExtractionError.self) {
            try VideoInputList.videos(in: [directory.url.path])
        }
    }
}

import Foundation
import Testing
import VTGCore

@Suite struct FileErrorReasonTests {
    @Test func foundationErrorsBecomeTheSystemsWords() throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("promptvtg-reason-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func reason(_ body: () throws -> Void) -> String? {
            do {
                try body()
                return nil
            } catch { return FileErrorReason.of(error) }
        }
        let missing = reason { _ = try Data(contentsOf: folder.appendingPathComponent("absent")) }
        #expect(missing == "no such file or folder" || missing == "No such file or directory")
        // A folder where a file is expected.
        let directory = reason { try Data("x".utf8).write(to: folder) }
        #expect(directory != nil && directory?.contains("NSCocoaErrorDomain") == false)
        let file = folder.appendingPathComponent("file")
        try Data("x".utf8).write(to: file)
        let exists = reason {
            try FileManager.default.createDirectory(at: file, withIntermediateDirectories: true)
        }
        #expect(exists == "a file of that name exists" || exists == "File exists")
    }
}

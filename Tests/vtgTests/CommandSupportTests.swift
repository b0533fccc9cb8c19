import Grounding
import Testing
import TextEncoding
import VTGCore

@testable import vtg

@Suite struct CommandSupportTests {
    @Test func everyLibraryInputHasItsOwnFlag() {
        let flags = GroundingInput.allCases.map(FlagNames.flag)
        #expect(Set(flags).count == flags.count)
        #expect(flags.allSatisfy { $0.hasPrefix("--") })
    }

    @Test func libraryErrorsAreSaidInFlags() {
        let missing = GroundingError.missingInputs(
            [.videoID], alternatives: [], reason: "v.h5 is an HDF5 file of many videos")
        #expect(
            CommandSupport.message(for: missing)
                == "missing --video-id: v.h5 is an HDF5 file of many videos")
        let directory = TextModelError.directoryNotFound(
            path: "/m", source: TextModelLocator.explicitDirectorySource)
        #expect(
            CommandSupport.message(for: directory).hasPrefix(
                "/m (from --text-model) is not a folder"))
        #expect(
            CommandSupport.message(for: TextModelError.modelNotFound(searched: []))
                .hasSuffix("(on the command line: --text-model DIR)"))
    }
}

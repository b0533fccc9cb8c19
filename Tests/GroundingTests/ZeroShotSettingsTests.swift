import Testing

@testable import Grounding

@Suite struct ZeroShotSettingsTests {
    @Test func theDefaultsAreValid() throws {
        try ZeroShotSettings().validate()
        #expect(ZeroShotSettings().clipSeconds == 2)
        #expect(ZeroShotSettings().topK == SpanDecoder.defaultTopK)
    }

    @Test func eachSettingOutOfRangeIsNamed() {
        func field(_ change: (inout ZeroShotSettings) -> Void) -> String? {
            var settings = ZeroShotSettings()
            change(&settings)
            do {
                try settings.validate()
                return nil
            } catch {
                return error.field
            }
        }
        #expect(field { $0.smoothingClips = 4 } == "smoothingClips")
        #expect(field { $0.smoothingClips = 0 } == "smoothingClips")
        #expect(field { $0.thresholdDeviations = [] } == "thresholdDeviations")
        #expect(field { $0.thresholdDeviations = [0, .nan] } == "thresholdDeviations")
        #expect(
            field { $0.lengthPrior = .init(preferredFraction: 0, weight: 1) }
                == "lengthPrior.preferredFraction")
        #expect(
            field { $0.lengthPrior = .init(preferredFraction: 0.2, weight: -1) }
                == "lengthPrior.weight")
        #expect(field { $0.nmsThreshold = 1.5 } == "nmsThreshold")
        #expect(field { $0.topK = 0 } == "topK")
        #expect(field { $0.clipSeconds = 0 } == "clipSeconds")
        #expect(field { $0.clipSeconds = nil } == nil)
        #expect(field { $0.thresholdDeviations = [-0.5] } == nil)
    }
}

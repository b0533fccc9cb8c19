import Extraction
import Testing

@Suite struct ExtractionTimingTests {
    @Test func sharesAndSumsAddUp() {
        var timing = ExtractionTiming()
        #expect(timing.decodeAndPreprocessShare == 0)
        timing.decodeSeconds = 1
        timing.preprocessSeconds = 0.5
        timing.encodeSeconds = 8
        timing.writeSeconds = 0.5
        #expect(timing.totalSeconds == 10)
        #expect(timing.decodeAndPreprocessShare == 0.15)
        var total = ExtractionTiming()
        total += timing
        total += timing
        #expect(total.encodeSeconds == 16 && total.totalSeconds == 20)
    }
}

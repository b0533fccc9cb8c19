import Testing
import VTGCore

@testable import Reports

@Suite struct DemoReportTests {
    @Test func theExampleHeadingCountsItsQueriesInWords() {
        #expect(DemoReport.count(1) == "One query")
        #expect(DemoReport.count(2) == "Two queries")
        #expect(DemoReport.count(12) == "Twelve queries")
        #expect(DemoReport.count(13) == "13 queries")
    }
}

import Foundation
import Grounding
import Metrics
import Testing
import VTGCore

@testable import Reports

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Counts the elements of an XML document by name, and the span bands (`rect` filled with the
/// span colour); nil when the document does not parse.
private final class ElementCounter: NSObject, XMLParserDelegate {
    var counts: [String: Int] = [:]
    var spanBands = 0
    var titles: [String] = []
    private var inTitle = false

    static func count(_ text: String) -> ElementCounter? {
        let counter = ElementCounter()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = counter
        return parser.parse() ? counter : nil
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
        qualifiedName: String?, attributes: [String: String] = [:]
    ) {
        counts[name, default: 0] += 1
        if name == "rect", attributes["fill"] == "#f2a900" { spanBands += 1 }
        if name == "text" { inTitle = true }
    }

    func parser(
        _ parser: XMLParser, didEndElement name: String, namespaceURI: String?,
        qualifiedName: String?
    ) {
        if name == "text" { inTitle = false }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inTitle { titles.append(string) }
    }
}

@Suite struct TimelinePlotTests {
    static func plot(query: String, spans: Int) -> TimelinePlot {
        let ranked: [(startSeconds: Double, endSeconds: Double, score: Double)] = (0..<spans).map {
            rank in
            let start = Double(rank)
            return (startSeconds: start, endSeconds: start + 10, score: 1 / (start + 1))
        }
        let start: [Float] = [0.1, 0.7, 0.1, 0.1]
        let end: [Float] = [0.1, 0.1, 0.7, 0.1]
        let inside: [Float] = [0.2, 0.9, 0.9, 0.2]
        return TimelinePlot(
            query: query, durationSeconds: 20, startProbabilities: start, endProbabilities: end,
            insideProbabilities: inside, spans: ranked)
    }

    @Test func aPlotIsValidSVGWithOneBandPerSpan() throws {
        let svg = Self.plot(query: "a person <opens> the \"door\" & leaves", spans: 3).svg()
        let counter = try #require(ElementCounter.count(svg))
        #expect(counter.counts["svg"] == 1)
        #expect(counter.spanBands == 3)
        // Three curves, each with a legend line; two axes.
        #expect(counter.counts["polyline"] == 3)
        #expect(counter.counts["line"] == 5)
        // The query survives escaping.
        #expect(counter.titles.joined().contains("a person <opens> the \"door\" & leaves"))
    }

    @Test func aDocumentStacksItsPlots() throws {
        let plots = [Self.plot(query: "first", spans: 2), Self.plot(query: "second", spans: 5)]
        let document = TimelinePlot.document(plots, width: 600, height: 200)
        let counter = try #require(ElementCounter.count(document))
        #expect(counter.counts["svg"] == 3)
        #expect(counter.spanBands == 7)
        #expect(
            document.hasPrefix(
                #"<svg xmlns="http://www.w3.org/2000/svg" width="600" height="400">"#))
        #expect(document.contains(#"<svg y="200""#))
    }

    @Test func aPlotWithoutSpansOrCurvesStillParses() throws {
        let empty = TimelinePlot(
            query: "nothing", durationSeconds: 0, startProbabilities: [], endProbabilities: [],
            insideProbabilities: [], spans: [])
        let counter = try #require(ElementCounter.count(empty.svg()))
        #expect(counter.spanBands == 0)
        #expect(counter.counts["polyline"] == nil)
    }
}

@Suite struct TimelinePlotZeroShotTests {
    @Test func aZeroShotPlotDrawsTheCosinesAndTheRelevanceCurveOnTheirOwnAxis() throws {
        let curve = RelevanceCurve(similarities: [0.20, 0.21, 0.30, 0.31, 0.22], smoothingClips: 3)
        let result = ZeroShotResult(
            query: "a dog runs", durationSeconds: 9, clipSeconds: 2,
            spans: [ScoredSpan(startSeconds: 4, endSeconds: 8, score: 0.08)], curve: curve)
        let plot = TimelinePlot(zeroShot: result)
        #expect(plot.curves.map(\.name) == ["cosine", "relevance"])
        #expect(plot.valueRange.lowerBound < 0.2 && plot.valueRange.upperBound > 0.31)
        #expect(plot.valueRange.upperBound < 0.4)
        let svg = plot.svg()
        let counter = try #require(ElementCounter.count(svg))
        #expect(counter.counts["polyline"] == 2)
        #expect(counter.spanBands == 1)
        // The y axis is labelled in cosines, not probabilities.
        #expect(counter.titles.contains { $0.count == 5 && $0.hasPrefix("0.") })
        #expect(!counter.titles.contains("1.0"))
    }
}

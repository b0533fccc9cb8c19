import Datasets
import Metrics
import Testing

@Test func standardProtocolPerDataset() {
    #expect(EvaluationProtocol.standard(for: .qvHighlights) == .qvhighlights)
    #expect(EvaluationProtocol.standard(for: .charadesSTA) == .twoDTAN)
    #expect(EvaluationProtocol(rawValue: "2d-tan") == .twoDTAN)
}

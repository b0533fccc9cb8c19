import Metrics
import Testing

@Test func predictionWithoutQueryIDIsAllowed() {
    let prediction = QueryPrediction(queryID: nil, windows: [])
    #expect(prediction.queryID == nil && prediction.clipScores == nil && prediction.videoID == nil)
}

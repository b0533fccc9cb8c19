import Testing

@testable import TextEncoding

@Suite struct TextTokenStatesTests {
    @Test func givesEachTokensState() {
        let states = TextTokenStates(
            tokenIDs: [101, 7, 102], wasTruncated: false, hiddenSize: 2,
            states: [1, 2, 3, 4, 5, 6])
        #expect(states.tokenCount == 3)
        #expect(Array(states.state(ofToken: 1)) == [3, 4])
        #expect(states.tensor.shape == [3, 2])
        #expect(states.tensor.scalars == [1, 2, 3, 4, 5, 6])
    }
}

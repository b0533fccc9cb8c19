import Testing

@testable import TextEncoding

@Suite struct TextTokenStatesTests {
    @Test func givesEachTokensState() {
        let states = TextTokenStates(
            tokenIDs: [101, 7, 102], wasTruncated: false, hiddenSize: 2,
            states: [1, 2, 3, 4, 5, 6])
        #expect(states.tokenCount == 3 && states.rowCount == 3)
        #expect(Array(states.state(ofToken: 1)) == [3, 4])
        #expect(states.tensor.shape == [3, 2])
        #expect(states.tensor.scalars == [1, 2, 3, 4, 5, 6])
    }

    @Test func promptRowsComeFirst() {
        let states = TextTokenStates(
            tokenIDs: [101, 102], wasTruncated: true, hiddenSize: 1, promptLength: 2,
            states: [9, 8, 1, 2])
        #expect(states.rowCount == 4 && states.tokenCount == 2)
        #expect(Array(states.state(ofToken: 0)) == [1])
        #expect(states.tensor.shape == [4, 1])
    }
}

import Tensors
import Testing

@testable import TextEncoding

@Suite struct BertOutputTests {
    @Test func excludesThePromptPositionsByDefault() {
        // 2 texts, 2 prompt positions, 3 text positions, width 1: states number the positions.
        let states = Tensor(shape: [2, 5, 1], scalars: (0..<10).map(Float.init))
        let mask = Mask(
            shape: [2, 5],
            values: [true, true, true, true, false, true, true, true, true, true])
        let output = BertOutput(states: states, validMask: mask, promptLength: 2)
        let (text, textMask) = output.tokenStates()
        #expect(text.shape == [2, 3, 1])
        #expect(text.scalars == [2, 3, 4, 7, 8, 9])
        #expect(textMask.values == [true, true, false, true, true, true])
        let (all, allMask) = output.tokenStates(includingPrompt: true)
        #expect(all.shape == [2, 5, 1] && allMask == mask)
    }
}

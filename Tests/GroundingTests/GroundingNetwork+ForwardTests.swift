import Tensors
import Testing

@testable import Grounding

@Suite struct GroundingNetworkForwardTests {
    /// A row whose prompted pass kept fewer tokens than its cached states loses the valid marks
    /// past them; rows within their limits keep their masks.
    @Test func theTextMaskFollowsThePromptedTokenCounts() {
        let mask = Mask(
            shape: [3, 5],
            values: [
                true, true, true, true, true,
                true, true, true, false, false,
                true, true, true, true, true,
            ])
        let limited = GroundingNetwork.textMask(mask, limitedTo: [3, 3, 5])
        #expect(
            limited?.values == [
                true, true, true, false, false,
                true, true, true, false, false,
                true, true, true, true, true,
            ])
        #expect(GroundingNetwork.textMask(mask, limitedTo: [5, 3, 5]) == nil)
    }
}

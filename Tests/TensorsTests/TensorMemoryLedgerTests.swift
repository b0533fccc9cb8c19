import Tensors
import Testing

@Suite struct TensorMemoryLedgerTests {
    @Test func countsOnlyTheScopesTensorsUntilTheyAreFreed() {
        let outside = Tensor.zeros([1000])
        TensorMemory.withLedger { ledger in
            #expect(ledger.liveBytes == 0)
            var inside: Tensor? = outside + 1  // 1000 floats
            #expect(ledger.liveBytes == 4000)
            let kept = Tensor.ones([10])
            inside = nil
            #expect(inside == nil && ledger.liveBytes == 40)
            _ = kept
        }
        _ = outside
    }
}

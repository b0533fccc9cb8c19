import Testing

@testable import TextEncoding

@Suite struct EncodedBatchTests {
    @Test func padsToTheLongestWithAValidMask() {
        let batch = EncodedBatch(
            [
                EncodedText(tokenIDs: [101, 7, 102], wasTruncated: false),
                EncodedText(tokenIDs: [101, 102], wasTruncated: false),
                EncodedText(tokenIDs: [101, 5, 6, 7, 102], wasTruncated: true),
            ], paddingID: 0)
        #expect(batch.batchSize == 3 && batch.sequenceLength == 5)
        #expect(batch.tokenIDs == [101, 7, 102, 0, 0, 101, 102, 0, 0, 0, 101, 5, 6, 7, 102])
        #expect(
            batch.validMask == [
                true, true, true, false, false, true, true, false, false, false, true, true, true,
                true, true,
            ])
        #expect(batch.lengths == [3, 2, 5])
        #expect(batch.wasTruncated == [false, false, true])
        #expect(Array(batch.tokenIDs(row: 1)) == [101, 102, 0, 0, 0])
    }

    @Test func anEmptyBatchHasNoColumns() {
        let batch = EncodedBatch([], paddingID: 0)
        #expect(batch.batchSize == 0 && batch.sequenceLength == 0 && batch.tokenIDs.isEmpty)
    }
}

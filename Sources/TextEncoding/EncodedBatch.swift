/// The token ids of one text: `[CLS]`, the word pieces, `[SEP]`, truncated to the tokenizer's
/// maximum sequence length.
public struct EncodedText: Equatable, Sendable {
    /// The ids, `[CLS]` first and `[SEP]` last.
    public let tokenIDs: [Int]
    /// Whether word pieces were cut to fit the maximum sequence length.
    public let wasTruncated: Bool

    /// Creates an encoding.
    public init(tokenIDs: [Int], wasTruncated: Bool) {
        self.tokenIDs = tokenIDs
        self.wasTruncated = wasTruncated
    }
}

/// Token ids of several texts, padded to the longest, with the mask of real tokens: the input
/// of the encoder.
///
/// Shapes: `tokenIDs` and `validMask` are row-major `[batchSize, sequenceLength]`.
public struct EncodedBatch: Equatable, Sendable {
    /// The number of texts.
    public let batchSize: Int
    /// The length of the longest encoding; every row is padded to it.
    public let sequenceLength: Int
    /// `[batchSize, sequenceLength]` ids, padded with the padding id after each text's `[SEP]`.
    public let tokenIDs: [Int]
    /// `[batchSize, sequenceLength]`: true for a real token (`[CLS]`, pieces, `[SEP]`), false for
    /// padding. Hugging Face's `attention_mask` with 1 → true.
    public let validMask: [Bool]
    /// Real tokens per row, `[CLS]` and `[SEP]` included.
    public let lengths: [Int]
    /// Whether each text was truncated.
    public let wasTruncated: [Bool]

    /// Pads `encodings` with `paddingID` to the longest of them.
    public init(_ encodings: [EncodedText], paddingID: Int) {
        batchSize = encodings.count
        sequenceLength = encodings.map(\.tokenIDs.count).max() ?? 0
        var tokenIDs = [Int](repeating: paddingID, count: batchSize * sequenceLength)
        var validMask = [Bool](repeating: false, count: batchSize * sequenceLength)
        for (row, encoding) in encodings.enumerated() {
            let rowStart = row * sequenceLength
            for (column, id) in encoding.tokenIDs.enumerated() {
                tokenIDs[rowStart + column] = id
                validMask[rowStart + column] = true
            }
        }
        self.tokenIDs = tokenIDs
        self.validMask = validMask
        lengths = encodings.map(\.tokenIDs.count)
        wasTruncated = encodings.map(\.wasTruncated)
    }

    /// The ids of row `row`, padding included.
    public func tokenIDs(row: Int) -> ArraySlice<Int> {
        precondition(
            row >= 0 && row < batchSize, "EncodedBatch.tokenIDs(row:): row \(row) of \(batchSize)")
        return tokenIDs[row * sequenceLength..<(row + 1) * sequenceLength]
    }
}

import Foundation

/// The BPE ids of words already merged, shared by the copies of one `CLIPTokenizer` and safe to
/// use from several threads: queries repeat most of their words, and merging is the costly step.
///
/// It holds at most `capacity` words and is emptied when full (real queries use a few thousand
/// distinct words; a stream of random text cannot grow it without bound).
final class BPEWordCache: @unchecked Sendable {
    /// The most words held.
    static let capacity = 100_000

    private let lock = NSLock()
    // Guarded by `lock`.
    private var idsOfWord: [[UInt8]: [Int32]] = [:]

    /// Appends the ids of `word` (UTF-8 bytes) to `ids`, merging it with `vocabulary` unless it
    /// was merged before.
    func appendIDs(ofWord word: [UInt8], vocabulary: BPEVocabulary, to ids: inout [Int32]) {
        lock.lock()
        let cached = idsOfWord[word]
        lock.unlock()
        if let cached {
            ids += cached
            return
        }
        var merged: [Int32] = []
        vocabulary.appendIDs(ofWord: word, to: &merged)
        ids += merged
        lock.lock()
        if idsOfWord.count >= Self.capacity { idsOfWord.removeAll(keepingCapacity: true) }
        idsOfWord[word] = merged
        lock.unlock()
    }
}

import Testing
import VTGCore

@testable import Datasets

@Test func videoEventsAreOrderedDistinctAndQueried() {
    var generator = SeededGenerator(seed: 5)
    let world = SyntheticWorld(featureDimension: 8, using: &generator)
    let profile = SyntheticLayoutProfile.profile(for: .charadesSTA)
    for _ in 0..<20 {
        let video = SyntheticVideo.generate(
            videoID: "V", durationSeconds: 30, profile: profile, world: world, noise: 0.1,
            drift: 0.1, sentence: { actionClass, _ in "class \(actionClass)" }, using: &generator)
        #expect(profile.eventCount.contains(video.events.count))
        #expect(Set(video.events.map(\.actionClass)).count == video.events.count)
        for (earlier, later) in zip(video.events, video.events.dropFirst()) {
            #expect(earlier.span.endSeconds <= later.span.startSeconds)
        }
        #expect(video.events.allSatisfy { $0.span.startSeconds >= 0 && $0.span.endSeconds <= 30 })
        #expect(
            profile.queryCount.contains(video.queries.count)
                || video.queries.count == video.events.count)
        #expect(video.features.clipCount == 30 && video.features.featureDimension == 8)
    }
}

/// With little noise, a clip in the middle of an event is closest to that event's prototype:
/// the features carry the answer.
@Test func eventClipsLookLikeTheirPrototype() {
    var generator = SeededGenerator(seed: 6)
    let world = SyntheticWorld(featureDimension: 64, using: &generator)
    let video = SyntheticVideo.generate(
        videoID: "V", durationSeconds: 40, profile: .profile(for: .charadesSTA), world: world,
        noise: 0.3, drift: 0.1, sentence: { _, _ in "" }, using: &generator)
    for event in video.events {
        let clip = Int((event.span.startSeconds + event.span.endSeconds) / 2)
        let row = Array(video.features.row(clip))
        let distances = world.prototypes.map { prototype in
            zip(row, prototype).reduce(Float(0)) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        }
        let nearest = distances.indices.min { distances[$0] < distances[$1] }
        #expect(nearest == event.actionClass)
    }
}

/// Prototypes of classes that share a word are correlated by that word's share (0.35); others
/// are nearly orthogonal.
@Test func prototypesShareTheirWordsComponents() {
    var generator = SeededGenerator(seed: 8)
    let world = SyntheticWorld(featureDimension: 4096, using: &generator)
    func correlation(_ a: Int, _ b: Int) -> Double {
        let x = world.prototypes[a].map(Double.init)
        let y = world.prototypes[b].map(Double.init)
        func norm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        return zip(x, y).reduce(0) { $0 + $1.0 * $1.1 } / (norm(x) * norm(y))
    }
    let openDoor = SyntheticVocabulary.actionClass(verb: 0, object: 0)
    let openBox = SyntheticVocabulary.actionClass(verb: 0, object: 1)
    let closeDoor = SyntheticVocabulary.actionClass(verb: 1, object: 0)
    let closeBox = SyntheticVocabulary.actionClass(verb: 1, object: 1)
    let tolerance = 0.06  // about 3 standard errors of a correlation over 4,096 dimensions
    #expect(abs(correlation(openDoor, openBox) - 0.35) < tolerance)
    #expect(abs(correlation(openDoor, closeDoor) - 0.35) < tolerance)
    #expect(abs(correlation(openDoor, closeBox)) < tolerance)
}

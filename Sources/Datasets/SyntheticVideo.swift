import Foundation
import VTGCore

/// One generated video: consecutive action events separated by background, its clip features,
/// and the queries that describe some of its events.
struct SyntheticVideo {
    /// An action happening from `span.startSeconds` to `span.endSeconds`.
    struct Event {
        var actionClass: Int
        var span: TimeSpan
    }

    /// A query: its sentence and the events it describes (one, or two of the same class).
    struct Query {
        var sentence: String
        var actionClass: Int
        var spans: [TimeSpan]
    }

    var videoID: String
    var durationSeconds: Double
    var events: [Event]
    var queries: [Query]
    var features: ClipFeatures
}

/// The shared random parts of a benchmark: one prototype vector per action class and a few
/// background ("scene") vectors, entries ~ N(0, 1).
///
/// A class's prototype is `√0.35·verb + √0.35·object + √0.3·own` from three independent random
/// vectors, so that prototypes of classes sharing a word are correlated (0.35) — a model can
/// learn the words' contributions from few examples — yet only the pair identifies the class.
struct SyntheticWorld {
    var prototypes: [[Float]]
    var scenes: [[Float]]
    var featureDimension: Int

    static let sceneCount = 4
    /// Shares of a prototype's variance from its verb, its object and the class itself.
    static let verbShare = 0.35
    static let objectShare = 0.35
    static let ownShare = 0.3

    init(featureDimension: Int, using generator: inout SeededGenerator) {
        func vector() -> [Float] {
            (0..<featureDimension).map { _ in Float(generator.standardNormal()) }
        }
        self.featureDimension = featureDimension
        let verbVectors = SyntheticVocabulary.verbs.map { _ in vector() }
        let objectVectors = SyntheticVocabulary.objects.map { _ in vector() }
        let (verbWeight, objectWeight, ownWeight) = (
            Float(Self.verbShare.squareRoot()), Float(Self.objectShare.squareRoot()),
            Float(Self.ownShare.squareRoot())
        )
        prototypes = (0..<SyntheticVocabulary.classCount).map { actionClass in
            let verb = verbVectors[SyntheticVocabulary.verbIndex(of: actionClass)]
            let object = objectVectors[SyntheticVocabulary.objectIndex(of: actionClass)]
            let own = vector()
            return (0..<featureDimension).map {
                verbWeight * verb[$0] + objectWeight * object[$0] + ownWeight * own[$0]
            }
        }
        scenes = (0..<Self.sceneCount).map { _ in vector() }
    }
}

/// Per-layout shape of the generated videos, chosen to resemble the real dataset's statistics at
/// a size a CPU handles in minutes.
struct SyntheticLayoutProfile {
    var durationSeconds: ClosedRange<Double>
    var clipSeconds: Double
    var eventCount: ClosedRange<Int>
    var eventFraction: ClosedRange<Double>
    var queryCount: ClosedRange<Int>
    /// Probability that a queried action happens twice in the video (QVHighlights' multi-window
    /// queries); 0 elsewhere.
    var repeatProbability: Double
    var splits: [(name: String, fraction: Double)]
    var defaultVideoCount: Int

    static func profile(for layout: DatasetName) -> SyntheticLayoutProfile {
        switch layout {
        case .charadesSTA:
            return SyntheticLayoutProfile(
                durationSeconds: 20...40, clipSeconds: 1, eventCount: 3...5,
                eventFraction: 0.12...0.35, queryCount: 2...3, repeatProbability: 0,
                splits: [("train", 0.8), ("test", 0.2)], defaultVideoCount: 200)
        case .activityNet:
            return SyntheticLayoutProfile(
                durationSeconds: 60...180, clipSeconds: 2, eventCount: 3...5,
                eventFraction: 0.1...0.4, queryCount: 3...4, repeatProbability: 0,
                splits: [("train", 0.6), ("val", 0.2), ("test", 0.2)], defaultVideoCount: 150)
        case .tacos:
            return SyntheticLayoutProfile(
                durationSeconds: 120...300, clipSeconds: 2, eventCount: 8...12,
                eventFraction: 0.03...0.1, queryCount: 6...10, repeatProbability: 0,
                splits: [("train", 0.6), ("val", 0.2), ("test", 0.2)], defaultVideoCount: 40)
        case .qvHighlights:
            return SyntheticLayoutProfile(
                durationSeconds: 150...150, clipSeconds: 2, eventCount: 3...5,
                eventFraction: 0.06...0.25, queryCount: 1...2, repeatProbability: 0.25,
                splits: [("train", 0.7), ("val", 0.15), ("test", 0.15)], defaultVideoCount: 200)
        }
    }
}

extension SyntheticVideo {
    /// Generates one video of `durationSeconds` following `profile`.
    ///
    /// Events: k consecutive actions of random lengths with background gaps. After the first,
    /// each action shares its verb or its object with an earlier one with probability 0.7, so
    /// that queries must be read compositionally. Features per clip (centre c):
    /// `Σₑ wₑ(c)·prototypeₑ + (1 − Σₑ wₑ(c))·scene + noise·ε + driftₜ`, where
    /// `wₑ(c) = σ((c − startₑ)/τ)·σ((endₑ − c)/τ)` blurs the boundaries over τ = half a clip,
    /// ε ~ N(0, I), and the drift is an AR(1) walk (ρ = 0.9, stationary deviation `drift`).
    static func generate(
        videoID: String, durationSeconds: Double, profile: SyntheticLayoutProfile,
        world: SyntheticWorld, noise: Double, drift: Double,
        sentence: (Int, inout SeededGenerator) -> String,
        using generator: inout SeededGenerator
    ) -> SyntheticVideo {
        let eventCount = generator.uniform(profile.eventCount)
        var classes: [Int] = []
        while classes.count < eventCount {
            classes.append(nextClass(after: classes, using: &generator))
        }
        let queriedCount = min(generator.uniform(profile.queryCount), eventCount)
        var queried = Array(0..<eventCount)
        BatchSampler.shuffle(&queried, using: &generator)
        queried = Array(queried.prefix(queriedCount))
        // A repeated action: the first queried event's class happens again at another event.
        if profile.repeatProbability > 0, eventCount > queriedCount, let first = queried.first,
            generator.nextUnitInterval() < profile.repeatProbability
        {
            let others = (0..<eventCount).filter { !queried.contains($0) }
            classes[others[generator.uniformIndex(below: others.count)]] =
                classes[first]
        }

        let spans = timeline(
            eventCount: eventCount, durationSeconds: durationSeconds, profile: profile,
            using: &generator)
        let events = zip(classes, spans).map { Event(actionClass: $0, span: $1) }
        let queries = queried.sorted().map { index in
            let actionClass = classes[index]
            return Query(
                sentence: sentence(actionClass, &generator), actionClass: actionClass,
                spans: events.filter { $0.actionClass == actionClass }.map(\.span))
        }
        let features = synthesizeFeatures(
            events: events, durationSeconds: durationSeconds, clipSeconds: profile.clipSeconds,
            world: world, noise: noise, drift: drift, using: &generator)
        return SyntheticVideo(
            videoID: videoID, durationSeconds: durationSeconds, events: events, queries: queries,
            features: features)
    }

    /// A class not yet in `classes`, sharing a verb or an object with one of them (p = 0.7).
    private static func nextClass(
        after classes: [Int], using generator: inout SeededGenerator
    )
        -> Int
    {
        let verbCount = SyntheticVocabulary.verbs.count
        let objectCount = SyntheticVocabulary.objects.count
        while true {
            let candidate: Int
            if !classes.isEmpty, generator.nextUnitInterval() < 0.7 {
                let anchor = classes[
                    generator.uniformIndex(below: classes.count)]
                if generator.nextUnitInterval() < 0.5 {
                    candidate = SyntheticVocabulary.actionClass(
                        verb: SyntheticVocabulary.verbIndex(of: anchor),
                        object: generator.uniform(0...(objectCount - 1)))
                } else {
                    candidate = SyntheticVocabulary.actionClass(
                        verb: generator.uniform(0...(verbCount - 1)),
                        object: SyntheticVocabulary.objectIndex(of: anchor))
                }
            } else {
                candidate = generator.uniform(0...(SyntheticVocabulary.classCount - 1))
            }
            if !classes.contains(candidate) { return candidate }
        }
    }

    /// Consecutive event spans: lengths drawn as fractions of the duration, the rest of the time
    /// split into k + 1 background gaps by random weights.
    private static func timeline(
        eventCount: Int, durationSeconds: Double, profile: SyntheticLayoutProfile,
        using generator: inout SeededGenerator
    ) -> [TimeSpan] {
        var lengths = (0..<eventCount).map { _ in
            generator.uniform(profile.eventFraction) * durationSeconds
        }
        let busiest = 0.9 * durationSeconds
        let total = lengths.reduce(0, +)
        if total > busiest { lengths = lengths.map { $0 * busiest / total } }
        let background = durationSeconds - lengths.reduce(0, +)
        let weights = (0...eventCount).map { _ in 0.2 + generator.nextUnitInterval() }
        let weightSum = weights.reduce(0, +)
        var spans: [TimeSpan] = []
        var time = 0.0
        for index in 0..<eventCount {
            time += background * weights[index] / weightSum
            spans.append(TimeSpan(startSeconds: time, endSeconds: time + lengths[index]))
            time += lengths[index]
        }
        return spans
    }

    private static func synthesizeFeatures(
        events: [Event], durationSeconds: Double, clipSeconds: Double, world: SyntheticWorld,
        noise: Double, drift: Double, using generator: inout SeededGenerator
    ) -> ClipFeatures {
        let dimension = world.featureDimension
        let clipCount = Int((durationSeconds / clipSeconds).rounded(.up))
        let scene = world.scenes[generator.uniform(0...(SyntheticWorld.sceneCount - 1))]
        let blur = clipSeconds / 2
        let persistence = 0.9
        let innovation = Float(drift * (1 - persistence * persistence).squareRoot())
        var driftState = (0..<dimension).map { _ in Float(drift * generator.standardNormal()) }
        var values = [Float](repeating: 0, count: clipCount * dimension)
        func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
        for clip in 0..<clipCount {
            let centre = min((Double(clip) + 0.5) * clipSeconds, durationSeconds)
            var backgroundWeight: Float = 1
            let offset = clip * dimension
            for event in events {
                let weight = Float(
                    sigmoid((centre - event.span.startSeconds) / blur)
                        * sigmoid((event.span.endSeconds - centre) / blur))
                guard weight > 1e-4 else { continue }
                backgroundWeight -= weight
                let prototype = world.prototypes[event.actionClass]
                for index in 0..<dimension { values[offset + index] += weight * prototype[index] }
            }
            backgroundWeight = max(backgroundWeight, 0)
            for index in 0..<dimension {
                driftState[index] =
                    Float(persistence) * driftState[index]
                    + innovation * Float(generator.standardNormal())
                values[offset + index] +=
                    backgroundWeight * scene[index] + driftState[index]
                    + Float(noise * generator.standardNormal())
            }
        }
        return ClipFeatures(values: values, clipCount: clipCount, featureDimension: dimension)
    }
}

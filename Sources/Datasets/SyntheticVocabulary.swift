import Foundation

/// The words of the synthetic benchmarks: action classes are verb × object pairs, and each query
/// is one of several paraphrase templates filled with the class's verb and object. Two classes
/// that share a verb ("open the door", "open the box") or an object ("open the door", "close the
/// door") can only be told apart by reading the other word.
enum SyntheticVocabulary {
    /// A verb in the forms the templates need.
    struct Verb {
        var base: String
        var thirdPerson: String
        var progressive: String
        var past: String
        var participle: String
    }

    static let verbs: [Verb] = [
        Verb(
            base: "open", thirdPerson: "opens", progressive: "opening", past: "opened",
            participle: "opened"),
        Verb(
            base: "close", thirdPerson: "closes", progressive: "closing", past: "closed",
            participle: "closed"),
        Verb(
            base: "wash", thirdPerson: "washes", progressive: "washing", past: "washed",
            participle: "washed"),
        Verb(
            base: "hold", thirdPerson: "holds", progressive: "holding", past: "held",
            participle: "held"),
        Verb(
            base: "throw", thirdPerson: "throws", progressive: "throwing", past: "threw",
            participle: "thrown"),
        Verb(
            base: "fold", thirdPerson: "folds", progressive: "folding", past: "folded",
            participle: "folded"),
        Verb(
            base: "push", thirdPerson: "pushes", progressive: "pushing", past: "pushed",
            participle: "pushed"),
        Verb(
            base: "lift", thirdPerson: "lifts", progressive: "lifting", past: "lifted",
            participle: "lifted"),
    ]

    static let objects = ["door", "box", "towel", "cup", "book", "bag", "laptop", "blanket"]

    /// Paraphrase templates; `{V}` forms are replaced by the verb, `{O}` by the object.
    static let templates = [
        "a person {3} the {O}",
        "someone is {ing} a {O}",
        "the person {past} the {O}",
        "person {ing} the {O}",
        "the {O} is {pp} by a person",
        "a person starts {ing} the {O}",
        "then the person {3} a {O}",
        "someone {past} a {O} in the room",
    ]

    /// Number of action classes (verbs × objects).
    static var classCount: Int { verbs.count * objects.count }

    /// The verb index of class `actionClass`.
    static func verbIndex(of actionClass: Int) -> Int { actionClass / objects.count }

    /// The object index of class `actionClass`.
    static func objectIndex(of actionClass: Int) -> Int { actionClass % objects.count }

    /// The class of a verb and an object.
    static func actionClass(verb: Int, object: Int) -> Int { verb * objects.count + object }

    /// Template `template` filled with the words of `actionClass`, lower case, no final period.
    static func sentence(actionClass: Int, template: Int) -> String {
        let verb = verbs[verbIndex(of: actionClass)]
        let object = objects[objectIndex(of: actionClass)]
        return templates[template]
            .replacingOccurrences(of: "{3}", with: verb.thirdPerson)
            .replacingOccurrences(of: "{ing}", with: verb.progressive)
            .replacingOccurrences(of: "{past}", with: verb.past)
            .replacingOccurrences(of: "{pp}", with: verb.participle)
            .replacingOccurrences(of: "{O}", with: object)
    }
}

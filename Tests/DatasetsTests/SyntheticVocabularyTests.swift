import Testing

@testable import Datasets

@Test func classesAreVerbObjectPairs() {
    #expect(SyntheticVocabulary.classCount == 64)
    let actionClass = SyntheticVocabulary.actionClass(verb: 4, object: 2)
    #expect(SyntheticVocabulary.verbIndex(of: actionClass) == 4)
    #expect(SyntheticVocabulary.objectIndex(of: actionClass) == 2)
    #expect(
        SyntheticVocabulary.sentence(actionClass: actionClass, template: 0)
            == "a person throws the towel")
    #expect(
        SyntheticVocabulary.sentence(actionClass: actionClass, template: 4)
            == "the towel is thrown by a person")
}

@Test func everyTemplateNamesTheVerbAndTheObject() {
    for template in SyntheticVocabulary.templates.indices {
        let sentence = SyntheticVocabulary.sentence(actionClass: 0, template: template)
        #expect(sentence.contains("open") && sentence.contains("door"), "\(sentence)")
        #expect(!sentence.contains("{"))
    }
}

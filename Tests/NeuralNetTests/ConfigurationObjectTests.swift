import Foundation
import TestSupport
import Testing

@testable import NeuralNet

@Suite struct ConfigurationObjectTests {
    static func object(_ text: String) throws -> ConfigurationObject {
        try JSONFileFixture.read(text, name: "settings.json") {
            try ConfigurationObject(contentsOf: $0)
        }
    }

    @Test("values of every JSON kind; null and absent keys take the default")
    func values() throws {
        let object = try Self.object(
            #"{"n": 3, "x": 0.25, "b": false, "s": "quick_gelu", "z": null, "o": {"k": 7}}"#)
        #expect(try object.integer("n", default: 1) == 3)
        #expect(try object.integer("missing", default: 11) == 11)
        #expect(try object.integer("z", default: 5) == 5)
        #expect(try object.number("x", default: 1, expected: "", where: { _ in true }) == 0.25)
        #expect(try object.bool("b", default: true) == false)
        #expect(try object.string("s") == "quick_gelu")
        #expect(try object.string("missing") == nil)
        let nested = try #require(try object.object("o"))
        #expect(nested.fullKey("k") == "o.k")
        #expect(try nested.integer("k", default: 0) == 7)
        #expect(
            try object.numbers("x", count: 3, default: [], expected: "", where: { _ in true })
                == [0.25, 0.25, 0.25])
    }

    @Test("a value of the wrong kind names the dotted key, what was expected and what was found")
    func wrongKinds() throws {
        let object = try Self.object(
            #"{"b": 1, "n": true, "o": {"k": 2.5}, "s": 4, "a": [1, "x"]}"#)
        #expect(
            throws: CLIPModelError.invalidValue(
                path: object.path, key: "b", expected: "true or false", actual: "1")
        ) {
            _ = try object.bool("b", default: false)
        }
        #expect(
            throws: CLIPModelError.invalidValue(
                path: object.path, key: "n", expected: "a positive integer", actual: "true")
        ) {
            _ = try object.integer("n", default: 1)
        }
        let nested = try #require(try object.object("o"))
        #expect(
            throws: CLIPModelError.invalidValue(
                path: object.path, key: "o.k", expected: "a positive integer", actual: "2.5")
        ) {
            _ = try nested.integer("k", default: 1)
        }
        #expect(
            throws: CLIPModelError.invalidValue(
                path: object.path, key: "s", expected: "a string", actual: "4")
        ) {
            _ = try object.string("s")
        }
        #expect(
            throws: CLIPModelError.invalidValue(
                path: object.path, key: "a", expected: "2 numbers", actual: "[1, \"x\"]")
        ) {
            _ = try object.numbers(
                "a", count: 2, default: [], expected: "2 numbers", where: { _ in true })
        }
        #expect(
            throws: CLIPModelError.invalidValue(
                path: object.path, key: "s", expected: "an object", actual: "4")
        ) {
            _ = try object.object("s")
        }
    }
}

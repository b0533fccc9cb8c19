import Testing

@testable import NeuralNet

@Suite struct CLIPModelErrorTests {
    @Test("messages name the file and key and say what to do")
    func messages() {
        let missing = CLIPModelError.missingFile(path: "/models/clip/model.safetensors")
        #expect(missing.description.contains("/models/clip/model.safetensors"))
        #expect(missing.description.contains("openai/clip-vit-base-patch32"))
        let invalid = CLIPModelError.invalidValue(
            path: "/m/config.json", key: "vision_config.hidden_act", expected: "\"quick_gelu\"",
            actual: "\"relu\"")
        #expect(invalid.description.contains("/m/config.json"))
        #expect(invalid.description.contains("'vision_config.hidden_act' is \"relu\""))
        let key = CLIPModelError.missingKey(path: "/m/config.json", key: "vision_config")
        #expect(key.description.contains("'vision_config' is missing"))
        #expect(CLIPModelError.directoryNotFound(path: "/nowhere").description.contains("/nowhere"))
    }
}

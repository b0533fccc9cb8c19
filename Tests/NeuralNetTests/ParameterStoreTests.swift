import NeuralNet
import Tensors
import Testing

@Suite struct ParameterStoreTests {
    /// A two-layer toy model built under scopes, as BERT builds its layers.
    static func build(_ store: ParameterStore) -> [Linear] {
        (0..<2).map { index in
            Linear(
                .init(inputSize: 3, outputSize: 2),
                parameters: store.scope("encoder.layer.\(index)").scope("output.dense"))
        }
    }

    @Test func scopesGiveFullPytorchPaths() {
        let store = ParameterStore(seed: 1)
        _ = Self.build(store)
        #expect(
            store.entries.map(\.path) == [
                "encoder.layer.0.output.dense.weight", "encoder.layer.0.output.dense.bias",
                "encoder.layer.1.output.dense.weight", "encoder.layer.1.output.dense.bias",
            ])
        #expect(store.entries.map(\.role) == [.weight, .bias, .weight, .bias])
        #expect(store["encoder.layer.1.output.dense.weight"]?.shape == [2, 3])
        #expect(store.root.scope("a.b").fullPath("c") == "a.b.c")
    }

    @Test func sameSeedSameInitialValues() {
        let first = ParameterStore(seed: 7)
        let second = ParameterStore(seed: 7)
        let third = ParameterStore(seed: 8)
        _ = Self.build(first)
        _ = Self.build(second)
        _ = Self.build(third)
        let values = { (store: ParameterStore) in store.entries.flatMap(\.tensor.scalars) }
        #expect(values(first) == values(second))
        #expect(values(first) != values(third))
    }

    @Test func layersTakeLoadedWeightsWithoutRenaming() throws {
        let weight = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        var weights: [String: Tensor] = [:]
        for index in 0..<2 {
            weights["encoder.layer.\(index).output.dense.weight"] = weight
            weights["encoder.layer.\(index).output.dense.bias"] = Tensor(
                shape: [2], scalars: [7, 8])
        }
        let store = ParameterStore(weights: weights, source: "memory")
        let layers = Self.build(store)
        try store.finishLoading()
        #expect(layers[1].weight.scalars == [1, 2, 3, 4, 5, 6])
        #expect(layers[1].bias?.scalars == [7, 8])
        #expect(layers[1].weight.requiresGrad)
    }

    @Test func strictLoadingReportsEveryProblemTogether() {
        let weights: [String: Tensor] = [
            "encoder.layer.0.output.dense.weight": Tensor.zeros([3, 2]),  // transposed: mismatch
            "encoder.layer.0.output.dense.bias": Tensor.zeros([2]),
            "encoder.layer.1.output.dense.weight": Tensor.zeros([2, 3]),
            "pooler.dense.weight": Tensor.zeros([2, 2]),  // unexpected
            // encoder.layer.1.output.dense.bias: missing
        ]
        let store = ParameterStore(weights: weights, source: "model.safetensors")
        _ = Self.build(store)
        #expect(throws: ParameterLoadError.self) { try store.finishLoading() }
        let rebuilt = ParameterStore(weights: weights, source: "model.safetensors")
        _ = Self.build(rebuilt)
        do {
            try rebuilt.finishLoading()
        } catch {
            #expect(error.missing == ["encoder.layer.1.output.dense.bias"])
            #expect(error.unexpected == ["pooler.dense.weight"])
            #expect(
                error.mismatched == [
                    .init(
                        path: "encoder.layer.0.output.dense.weight", expected: [2, 3],
                        actual: [3, 2])
                ])
            let message = error.description
            #expect(
                message.contains("model.safetensors") && message.contains("missing")
                    && message.contains("unexpected") && message.contains("[2, 3]"))
        }
    }

    @Test func ignoredPrefixesAndPartialPolicy() throws {
        let weights: [String: Tensor] = [
            "encoder.layer.0.output.dense.weight": Tensor.zeros([2, 3]),
            "pooler.dense.weight": Tensor.zeros([2, 2]),
        ]
        let store = ParameterStore(weights: weights, source: "memory")
        _ = Self.build(store)
        try store.finishLoading(
            policy: LoadPolicy(allowsMissing: true, ignoredPrefixes: ["pooler."]))
    }

    @Test func missingPrefixesExcuseOnlyTheirOwnParameters() throws {
        // A backbone file (layer 0) loaded into a model whose layer 1 is a new head.
        let store = ParameterStore(
            weights: [
                "encoder.layer.0.output.dense.weight": Tensor.zeros([2, 3]),
                "encoder.layer.0.output.dense.bias": Tensor.zeros([2]),
            ], source: "backbone.safetensors")
        _ = Self.build(store)
        try store.finishLoading(
            policy: LoadPolicy(allowsMissing: false, missingPrefixes: ["encoder.layer.1"]))
        // Prefixes match whole path components: "encoder.lay" excuses nothing.
        let partial = LoadPolicy(allowsMissing: false, missingPrefixes: ["encoder.lay"])
        #expect(throws: ParameterLoadError.self) {
            try store.load(
                ["encoder.layer.0.output.dense.bias": Tensor.ones([2])],
                source: "head.safetensors", policy: partial)
        }
        try store.load(
            [
                "encoder.layer.1.output.dense.weight": Tensor.ones([2, 3]),
                "encoder.layer.1.output.dense.bias": Tensor.ones([2]),
            ],
            source: "head.safetensors",
            policy: LoadPolicy(allowsMissing: false, missingPrefixes: ["encoder.layer.0"]))
        #expect(store["encoder.layer.1.output.dense.bias"]?.scalars == [1, 1])
    }

    @Test func loadIntoExistingParametersIsAllOrNothing() throws {
        let store = ParameterStore(seed: 1)
        let layers = Self.build(store)
        let before = store.entries.flatMap(\.tensor.scalars)
        let bad: [String: Tensor] = [
            "encoder.layer.0.output.dense.bias": Tensor.ones([2]),
            "encoder.layer.1.output.dense.bias": Tensor.ones([5]),
        ]
        #expect(throws: ParameterLoadError.self) {
            try store.load(bad, source: "prompts.safetensors", policy: .partial)
        }
        #expect(store.entries.flatMap(\.tensor.scalars) == before)
        // A partial load of a subset changes only that subset, in place.
        let weightObject = layers[0].bias
        try store.load(
            ["encoder.layer.0.output.dense.bias": Tensor.ones([2])],
            source: "prompts.safetensors", policy: .partial)
        #expect(layers[0].bias === weightObject)
        #expect(layers[0].bias?.scalars == [1, 1])
        // The strict policy wants every parameter.
        #expect(throws: ParameterLoadError.self) {
            try store.load(
                ["encoder.layer.0.output.dense.bias": Tensor.ones([2])],
                source: "prompts.safetensors")
        }
    }

    @Test func freezingByPrefixAndPredicateAndCounting() {
        let store = ParameterStore(seed: 1)
        _ = Self.build(store)
        #expect(store.trainableParameterCount == 16 && store.frozenParameterCount == 0)
        store.freeze(prefix: "encoder.layer.0")
        #expect(store.trainableParameterCount == 8 && store.frozenParameterCount == 8)
        #expect(store["encoder.layer.0.output.dense.weight"]?.requiresGrad == false)
        // A prefix matches whole components only.
        store.freeze(prefix: "encoder.layer.1.output.den")
        #expect(store.trainableParameterCount == 8)
        store.freeze(where: { $0.role == .bias })
        #expect(store.trainableEntries.map(\.path) == ["encoder.layer.1.output.dense.weight"])
        store.unfreeze(prefix: "")
        #expect(store.frozenParameterCount == 0)
        store.freeze(prefix: "encoder")
        #expect(store.trainableParameterCount == 0)
    }

    @Test func frozenParametersGetNoGradient() {
        let store = ParameterStore(seed: 1)
        let layers = Self.build(store)
        store.freeze(prefix: "encoder.layer.0")
        let input = Tensor.ones([4, 3])
        layers[1](
            layers[0](input).reshaped(to: [4, 2]).expanded(to: [4, 2])
                .reshaped(to: [8]).slice(axis: 0, range: 0..<6).reshaped(to: [2, 3])
        ).sum().backward()
        #expect(layers[0].weight.grad == nil)
        #expect(layers[1].weight.grad != nil)
        store.zeroGradients()
        #expect(layers[1].weight.grad == nil)
    }
}

/// The ranges the model and the trainer can run with. A configuration the library builds is
/// always valid; these checks catch hand-edited or corrupted `run.json` files before a value
/// reaches a precondition (a `headCount` that does not divide the width, `maxClips` 0, ...).
extension GroundingModelConfiguration {
    /// Throws the first field outside its range, named by its path under `prefix`.
    public func validate(prefix: String = "model.") throws(ConfigurationFieldError) {
        typealias Check = ConfigurationFieldError
        try Check.requireAtLeast(1, featureDimension, prefix + "featureDimension")
        try Check.requireAtLeast(1, maxClips, prefix + "maxClips")
        try Check.requireAtLeast(1, maxSpanClips, prefix + "maxSpanClips")
        try Check.requireAtLeast(1, headCount, prefix + "headCount")
        try Check.requireAtLeast(1, hiddenSize, prefix + "hiddenSize")
        guard hiddenSize % headCount == 0 else {
            throw ConfigurationFieldError(
                field: prefix + "headCount", value: "\(headCount)",
                expected: "a divisor of \(prefix)hiddenSize (\(hiddenSize))")
        }
        try Check.requireAtLeast(1, intermediateSize, prefix + "intermediateSize")
        try Check.requireAtLeast(0, videoLayerCount, prefix + "videoLayerCount")
        try Check.requireAtLeast(1, fusionLayerCount, prefix + "fusionLayerCount")
        try Check.requireAtLeast(1, textStateSize, prefix + "textStateSize")
        if let headWidth { try Check.requireAtLeast(1, headWidth, prefix + "headWidth") }
        try Check.requireProbability(dropout, prefix + "dropout")
        if let scratchTextVocabularySize {
            try Check.requireAtLeast(
                1, scratchTextVocabularySize, prefix + "scratchTextVocabularySize")
        }
        if let scratchTextLayerCount {
            try Check.requireAtLeast(1, scratchTextLayerCount, prefix + "scratchTextLayerCount")
        }
    }
}

extension GroundingTrainingConfiguration {
    /// Throws the first field outside its range, named by its path under `prefix`.
    public func validate(prefix: String = "training.") throws(ConfigurationFieldError) {
        typealias Check = ConfigurationFieldError
        try Check.requireAtLeast(1, epochs, prefix + "epochs")
        try Check.requireAtLeast(1, batchSize, prefix + "batchSize")
        try Check.requireFinitePositive(learningRate, prefix + "learningRate")
        if let promptLearningRate {
            try Check.requireFinitePositive(promptLearningRate, prefix + "promptLearningRate")
        }
        if let adapterLearningRate {
            try Check.requireFinitePositive(adapterLearningRate, prefix + "adapterLearningRate")
        }
        try Check.requireFinitePositive(weightDecay, prefix + "weightDecay", allowingZero: true)
        guard (0...1).contains(warmupFraction) else {
            throw ConfigurationFieldError(
                field: prefix + "warmupFraction", value: "\(warmupFraction)",
                expected: "a fraction in [0, 1]")
        }
        try Check.requireFinitePositive(gradientClipNorm, prefix + "gradientClipNorm")
        for (weight, name) in [
            (boundaryLossWeight, "boundaryLossWeight"), (insideLossWeight, "insideLossWeight"),
            (mismatchedQueryWeight, "mismatchedQueryWeight"),
        ] {
            try Check.requireFinitePositive(weight, prefix + name, allowingZero: true)
        }
        guard insideExtension.isFinite, insideExtension >= 0 else {
            throw ConfigurationFieldError(
                field: prefix + "insideExtension", value: "\(insideExtension)",
                expected: "a finite fraction of 0 or more")
        }
    }
}

extension GroundingRunConfiguration {
    /// Throws the first field of the model or training configuration outside its range.
    public func validate() throws(ConfigurationFieldError) {
        try model.validate()
        try training.validate()
    }
}

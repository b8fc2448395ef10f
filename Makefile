# Convenience wrapper around CMake presets. `make demo` and `make test` work
# on a fresh Debian 12 machine: they install missing packages first.
.PHONY: all deps test-deps build build-asan demo test test-default test-asan bench clean \
	test-fuzz fuzz abi-check abi-baseline coverage

JOBS ?= $(shell nproc)
# Seconds each fuzz target runs: `make fuzz` (long runs, e.g. FUZZ_SECONDS=3600);
# `make test` runs each for FUZZ_TEST_SECONDS.
FUZZ_SECONDS ?= 600
FUZZ_TEST_SECONDS ?= 10
# The storage and posting core whose branch coverage `make coverage` reports
# (and requires to reach COVERAGE_MIN percent).
COVERAGE_CORE = --filter 'src/store/[^/]*\.c' --filter 'src/store/sqlite/' \
	--filter 'src/core/tx\.c' --filter 'src/ledger/post\.c' --filter 'src/core/audit\.c'
COVERAGE_MIN ?= 90
COVERAGE_DIR ?= build/coverage

all: build

deps:
	@sh .ci/install-deps.sh

test-deps:
	@sh .ci/install-deps.sh --test

build:
	cmake --preset default >/dev/null
	cmake --build --preset default -j $(JOBS)

build-asan:
	cmake --preset asan >/dev/null
	cmake --build --preset asan -j $(JOBS)

demo: deps build
	./build/default/examples/demo

test: test-deps
	$(MAKE) test-default
	$(MAKE) test-asan
	$(MAKE) test-fuzz

test-default: build
	ctest --preset default -j $(JOBS)

test-asan: build-asan
	ctest --preset asan -j $(JOBS)

# libFuzzer targets, built with clang in build/fuzz (tests/fuzz/run.sh).
test-fuzz:
	sh tests/fuzz/run.sh $(FUZZ_TEST_SECONDS)

fuzz: test-deps
	sh tests/fuzz/run.sh $(FUZZ_SECONDS)

# The ABI check alone (it also runs in `make test`), and a deliberate new
# baseline from the default build (see tests/abi/README.md).
abi-check: build
	ctest --preset default -R '^abi\.'

abi-baseline: build
	python3 tests/abi/abi_check.py generate --lib build/default/src/libbackoffice.so \
		--root $(CURDIR) --work build/default/tests/abi/generate
	ctest --preset default -R '^abi\.'

# gcc --coverage build of the C library and its tests, then gcovr: a report
# of every source file in $(COVERAGE_DIR)/html/, the branch coverage of the
# storage and posting core on the terminal (fails under COVERAGE_MIN).
coverage: test-deps
	cmake -S . -B $(COVERAGE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug \
		-DPython3_EXECUTABLE=/usr/bin/python3 -DBO_BUILD_BINDINGS=OFF \
		-DBO_BUILD_BENCH=OFF -DCMAKE_C_FLAGS="--coverage -O0 -fprofile-update=atomic" \
		-DCMAKE_EXE_LINKER_FLAGS=--coverage -DCMAKE_SHARED_LINKER_FLAGS=--coverage >/dev/null
	cmake --build $(COVERAGE_DIR) -j $(JOBS)
	find $(COVERAGE_DIR) -name '*.gcda' -delete
	rm -f $(COVERAGE_DIR)/tests-failed
	ctest --test-dir $(COVERAGE_DIR) -j $(JOBS) --output-on-failure || \
		touch $(COVERAGE_DIR)/tests-failed
	mkdir -p $(COVERAGE_DIR)/html
	gcovr -r . $(COVERAGE_DIR) --filter 'src/' --html-details $(COVERAGE_DIR)/html/index.html \
		--print-summary
	gcovr -r . $(COVERAGE_DIR) $(COVERAGE_CORE) --branches --print-summary \
		--fail-under-branch $(COVERAGE_MIN)
	@if [ -f $(COVERAGE_DIR)/tests-failed ]; then \
		echo "coverage: some tests failed (see above)"; exit 1; fi

# The throughput table: every benchmark row with the figures before and now
# (tests/bench/bench_table.py; BENCH_FLAGS=--quick for smaller runs).
bench: build
	python3 tests/bench/bench_table.py --build build/default --log build/default/bench.log $(BENCH_FLAGS)

clean:
	rm -rf build

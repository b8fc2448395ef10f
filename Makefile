# Convenience wrapper around CMake presets. `make demo` and `make test` work
# on a fresh Debian 12 machine: they install missing packages first.
.PHONY: all deps test-deps build build-asan demo test test-default test-asan bench clean

JOBS ?= $(shell nproc)

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

test-default: build
	ctest --preset default -j $(JOBS)

test-asan: build-asan
	ctest --preset asan -j $(JOBS)

bench: build
	./build/default/tests/bench/bench_ledger

clean:
	rm -rf build

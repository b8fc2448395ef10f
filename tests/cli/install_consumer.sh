# Install the build into a scratch prefix, then build and run the example
# consumer against the INSTALLED library two ways: CMake's find_package and
# a bare compiler command with pkg-config.
#   sh install_consumer.sh BUILD_DIR SOURCE_DIR
# Environment: CC, CMAKE (the programs to use), BO_CONSUMER_CFLAGS (e.g.
# sanitizer flags, to match the build), CMAKE_GENERATOR (read by cmake for
# the consumer's configure).
set -eu

BUILD=$1
SRC=$2
CC=${CC:-cc}
CMAKE=${CMAKE:-cmake}
CFLAGS=${BO_CONSUMER_CFLAGS:-}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bo-install-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
PREFIX="$WORK/prefix"

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

"$CMAKE" --install "$BUILD" --prefix "$PREFIX" >"$WORK/install.log" ||
    { cat "$WORK/install.log" >&2; fail "cmake --install"; }

# What a package must hold.
for f in include/backoffice.h include/backoffice/ledger.h bin/backoffice; do
    [ -e "$PREFIX/$f" ] || fail "not installed: $f"
done
pc=$(find "$PREFIX" -name backoffice.pc | head -n 1)
[ -n "$pc" ] || fail "not installed: backoffice.pc"
cfg=$(find "$PREFIX" -name backofficeConfig.cmake | head -n 1)
[ -n "$cfg" ] || fail "not installed: backofficeConfig.cmake"
lib=$(find "$PREFIX" -name 'libbackoffice.so.*' | head -n 1)
[ -n "$lib" ] || fail "not installed: libbackoffice.so.N"
libdir=$(dirname "$lib")

# Only the bo_ API leaves the library.
if command -v nm >/dev/null 2>&1; then
    # Names carry their version node (bo_x@@LIBBACKOFFICE_0.3), which is
    # itself listed as an absolute symbol (type A).
    leaked=$(nm -D --defined-only "$lib" | awk '$2 != "A" {print $3}' | grep -v '^bo_' | grep -v '^_' || true)
    [ -z "$leaked" ] || fail "symbols exported besides bo_*: $leaked"
fi

# The installed program finds its library through its relocatable RPATH.
"$PREFIX/bin/backoffice" version >"$WORK/version.out" ||
    fail "installed backoffice does not run"
grep -q library "$WORK/version.out" || fail "backoffice version output"

# (a) CMake: find_package(backoffice) + backoffice::backoffice.
"$CMAKE" -S "$SRC/examples/consumer" -B "$WORK/cmake-build" \
      -DCMAKE_PREFIX_PATH="$PREFIX" -DCMAKE_BUILD_TYPE=Debug \
      -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_EXE_LINKER_FLAGS="$CFLAGS" \
      >"$WORK/configure.log" 2>&1 ||
    { cat "$WORK/configure.log" >&2; fail "consumer: cmake configure"; }
"$CMAKE" --build "$WORK/cmake-build" >"$WORK/build.log" 2>&1 ||
    { cat "$WORK/build.log" >&2; fail "consumer: cmake build"; }
"$WORK/cmake-build/consumer" || fail "consumer (CMake build) failed"

# (b) pkg-config and one compiler command, no build system at all.
pcdir=$(dirname "$pc")
flags=$(PKG_CONFIG_PATH="$pcdir" pkg-config --cflags --libs backoffice) ||
    fail "pkg-config backoffice"
case "$flags" in
    *"$PREFIX"*) ;;
    *) fail "pkg-config flags do not point into the prefix: $flags" ;;
esac
# shellcheck disable=SC2086 # the flags are words on purpose
$CC -std=c11 -Wall -Wextra -Werror $CFLAGS "$SRC/examples/consumer/main.c" \
    $flags -o "$WORK/consumer-pc" || fail "consumer: pkg-config compile"
LD_LIBRARY_PATH="$libdir" "$WORK/consumer-pc" || fail "consumer (pkg-config build) failed"
echo "install_consumer: ok"

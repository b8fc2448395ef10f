# Shared helpers for the CLI tests (POSIX sh). Each test script is run as
#   sh TEST.sh BACKOFFICE_BINARY SOURCE_DIR
# and sources this file. Every test works in its own scratch folder.
set -eu

BO=$1
SRC=$2
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bo-cli-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
BOOK="$WORK/book.db"
export BACKOFFICE_BOOK="sqlite:$BOOK"
export BACKOFFICE_ACTOR=admin
OUT="$WORK/out"
ERR="$WORK/err"
PYTHON=${PYTHON:-python3}

fail() {
    echo "FAIL: $*" >&2
    if [ -f "$OUT" ]; then echo "--- stdout:" >&2; cat "$OUT" >&2; fi
    if [ -f "$ERR" ]; then echo "--- stderr:" >&2; cat "$ERR" >&2; fi
    exit 1
}

# expect STATUS CMD...: run CMD, stdout to $OUT, stderr to $ERR, and fail
# unless it exits with STATUS.
expect() {
    want=$1
    shift
    got=0
    "$@" >"$OUT" 2>"$ERR" || got=$?
    [ "$got" -eq "$want" ] || fail "\"$*\" exited $got, expected $want"
}

# ok CMD...: expect success.
ok() {
    expect 0 "$@"
}

# out_has TEXT / err_has TEXT: the last command's stdout/stderr contains TEXT.
out_has() {
    grep -qF -- "$1" "$OUT" || fail "stdout lacks \"$1\""
}
err_has() {
    grep -qF -- "$1" "$ERR" || fail "stderr lacks \"$1\""
}

# out_is TEXT: the last command's stdout is exactly TEXT (plus newline).
out_is() {
    printf '%s\n' "$1" >"$WORK/want"
    cmp -s "$WORK/want" "$OUT" || fail "stdout is not \"$1\""
}

# A fresh book from tests/cli/book.yaml.
new_book() {
    rm -f "$BOOK" "$BOOK-wal" "$BOOK-shm"
    ok "$BO" init "$SRC/book.yaml"
}

# The entry id printed by `post`/`reverse` in CSV (header "entry", then id).
# Fails the test (in `x=$(post_id ...)` too, under set -e) when the command
# fails or prints no id, so two failed posts never compare as equal ids.
post_id() {
    "$BO" --format csv "$@" >"$WORK/post_id.out" 2>"$WORK/post_id.err" || {
        echo "FAIL: \"$*\" exited with an error:" >&2
        cat "$WORK/post_id.err" >&2
        exit 1
    }
    pid=$(tail -n 1 "$WORK/post_id.out")
    case $pid in
    '' | *[!0-9]*) echo "FAIL: \"$*\" printed no id: $pid" >&2; exit 1 ;;
    esac
    printf '%s\n' "$pid"
}

# A book kept through a plugin driver: --plugin and $BACKOFFICE_PLUGINS.
. "$2/lib.sh"

PLUGINS=${BO_TEST_PLUGIN_DIR:?the folder of the example plugins}
export BACKOFFICE_BOOK="log:sqlite:$BOOK"
LOG="$WORK/driver.log"
export BO_LOGDRIVER_FILE="$LOG"

# Without the plugin the scheme is unknown.
expect 2 "$BO" accounts
grep -q "no driver registered for scheme 'log'" "$ERR" || fail "unknown scheme message"

expect 0 "$BO" --plugin "$PLUGINS/bo_logdriver.so" init "$SRC/book.yaml"
expect 0 "$BO" --plugin "$PLUGINS/bo_logdriver.so" post --date 2026-01-05 \
    --key k1 1000=12.50 4000=-12.50
BACKOFFICE_PLUGINS=$PLUGINS expect 0 "$BO" balance 1000
grep -q "1250" "$OUT" || grep -q "12.50" "$OUT" || fail "balance through the plugin"
grep -q "^prepare INSERT INTO entries" "$LOG" || fail "the driver logged no insert"

# The same file, read by the built-in driver.
expect 0 "$BO" --book "sqlite:$BOOK" balance 1000
grep -q "12.50" "$OUT" || fail "balance through sqlite"

expect 2 "$BO" --plugin "$WORK/nope.so" accounts
grep -q "plugin '.*nope.so': no such file" "$ERR" || fail "missing plugin message"
echo "cli_plugin: ok"

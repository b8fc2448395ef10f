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

# trust_plugin_*: plugins load only for commands that open a book, and only
# from a folder and file that root or the user own and only they can write.
# The marker plugin's constructor leaves a mark when any of its code runs.
MARKERS=${BO_TEST_MARKER_DIR:?the folder of the marker test libraries}
export BO_TEST_MARKER="$WORK/marker"
PDIR="$WORK/plugins"
mkdir "$PDIR"
chmod 0755 "$PDIR"
cp "$MARKERS/bo_test_marker.so" "$PDIR/marker.so"
chmod 0644 "$PDIR/marker.so"
unset BO_LOGDRIVER_FILE
export BACKOFFICE_BOOK="sqlite:$BOOK"
for cmd in "--help" "help" "version" "accounts --help" "payroll help" \
           "document help"; do
    # shellcheck disable=SC2086
    BACKOFFICE_PLUGINS=$PDIR expect 0 "$BO" $cmd
    [ ! -e "$BO_TEST_MARKER" ] || fail "\"$cmd\" ran plugin code"
    # shellcheck disable=SC2086
    expect 0 "$BO" --plugin "$PDIR/marker.so" $cmd
    [ ! -e "$BO_TEST_MARKER" ] || fail "\"--plugin ... $cmd\" ran plugin code"
done
BACKOFFICE_PLUGINS=$PDIR expect 1 "$BO" no-such-command
[ ! -e "$BO_TEST_MARKER" ] || fail "an unknown command ran plugin code"
# A command that opens the book loads them.
BACKOFFICE_PLUGINS=$PDIR expect 0 "$BO" accounts
[ -e "$BO_TEST_MARKER" ] || fail "the plugin was not loaded for accounts"
rm -f "$BO_TEST_MARKER"

# A world-writable folder is refused, naming it; nothing of it runs.
chmod 0777 "$PDIR"
BACKOFFICE_PLUGINS=$PDIR expect 2 "$BO" accounts
err_has "plugin folder '$PDIR': writable by others"
err_has "trusted code"
[ ! -e "$BO_TEST_MARKER" ] || fail "a plugin of a world-writable folder ran"
chmod 0755 "$PDIR"
# A group-writable file is refused.
chmod 0664 "$PDIR/marker.so"
expect 2 "$BO" --plugin "$PDIR/marker.so" accounts
err_has "plugin file '$PDIR/marker.so': writable by its group"
[ ! -e "$BO_TEST_MARKER" ] || fail "a group-writable plugin ran"
# A hidden file is skipped; a symbolic link is refused.
mv "$PDIR/marker.so" "$PDIR/.marker.so"
chmod 0644 "$PDIR/.marker.so"
BACKOFFICE_PLUGINS=$PDIR expect 0 "$BO" accounts
[ ! -e "$BO_TEST_MARKER" ] || fail "a hidden plugin file was loaded"
ln -s "$PDIR/.marker.so" "$PDIR/link.so"
BACKOFFICE_PLUGINS=$PDIR expect 2 "$BO" accounts
err_has "link.so': a symbolic link"
[ ! -e "$BO_TEST_MARKER" ] || fail "a plugin was loaded through a symbolic link"
rm "$PDIR/link.so"
# A library that is not a plugin is never mapped: its constructor never runs.
cp "$MARKERS/bo_test_notplugin.so" "$PDIR/notplugin.so"
chmod 0644 "$PDIR/notplugin.so"
BACKOFFICE_PLUGINS=$PDIR expect 2 "$BO" accounts
err_has "not a libbackoffice plugin"
[ ! -e "$BO_TEST_MARKER" ] || fail "a library that is not a plugin ran"
echo "cli_plugin: ok"

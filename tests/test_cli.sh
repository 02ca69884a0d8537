#!/bin/sh
# test_cli.sh - tests of the syna command-line tool (tools/syna.c).
#
#   sh tests/test_cli.sh build/syna
#
# Every check is one test case. Failures are described on stderr; the last line on
# stdout is "N passed, M failed" and the exit status is non-zero when M > 0.
# Uses /usr/bin/python3 to validate JSON and to craft a few damaged files.

SYNA=${1:-build/syna}
case $SYNA in /*) ;; *) SYNA=$(pwd)/$SYNA ;; esac
PY=/usr/bin/python3
PYTHONUTF8=1
export PYTHONUTF8

if [ ! -x "$SYNA" ]; then
    echo "test_cli.sh: $SYNA is not an executable (build it first)" >&2
    echo "0 passed, 1 failed"
    exit 1
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/syna-cli-XXXXXX") || { echo "0 passed, 1 failed"; exit 1; }
HOLDER=
cleanup() {
    if [ -n "$HOLDER" ]; then kill "$HOLDER" 2>/dev/null; wait "$HOLDER" 2>/dev/null; HOLDER=; fi
    rm -rf "$T"
}
trap 'cleanup' EXIT
trap 'cleanup; exit 130' INT TERM

passed=0
failed=0

# run ARGS...: runs syna; stdout in $T/out, stderr in $T/err, exit status in $st.
run() {
    "$SYNA" "$@" >"$T/out" 2>"$T/err"
    st=$?
}
# check DESCRIPTION CONDITION: one test case; CONDITION is evaluated by the shell.
check() {
    if eval "$2"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        printf 'FAIL: %s\n  condition: %s\n  exit status: %s\n' "$1" "$2" "$st" >&2
        sed -n '1,8s/^/  stdout: /p' "$T/out" >&2
        sed -n '1,8s/^/  stderr: /p' "$T/err" >&2
    fi
}
st_is() { [ "$st" -eq "$1" ]; }
out_is() { [ "$(cat "$T/out")" = "$1" ]; }
out_has() { grep -q -e "$1" "$T/out"; }
out_has_fixed() { grep -q -F -e "$1" "$T/out"; }
err_has() { grep -q -e "$1" "$T/err"; }
out_lines() { [ "$(wc -l <"$T/out" | tr -d ' ')" -eq "$1" ]; }
# The validation the brief asks for, then a stricter one (no NaN/Infinity literals).
json_ok() {
    /usr/bin/python3 -c 'import json,sys; json.load(sys.stdin)' <"$T/out" 2>/dev/null &&
    $PY -c '
import json, sys
def bad(c): raise ValueError("non-standard JSON constant " + c)
json.loads(sys.stdin.buffer.read().decode("utf-8"), parse_constant=bad)' <"$T/out" 2>/dev/null
}
# json_eq PYTHON_EXPR: the JSON output (as d) satisfies the expression.
json_eq() {
    $PY -c '
import json, sys
d = json.loads(sys.stdin.buffer.read().decode("utf-8"))
sys.exit(0 if eval(sys.argv[1]) else 1)' "$1" <"$T/out" 2>/dev/null
}
fsize() { wc -c <"$1" | tr -d ' '; }
# flip_byte FILE OFFSET: replaces the byte at OFFSET by its complement.
flip_byte() {
    b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
    printf "\\$(printf '%03o' $((255 - b)))" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
# truncate_to FILE SIZE
truncate_to() {
    dd if="$1" of="$1.tmp" bs=1 count="$2" 2>/dev/null && mv "$1.tmp" "$1"
}

DB=$T/main.db

# ---------------------------------------------------------------- usage
run
check "no arguments: usage, exit 64" 'st_is 64 && err_has "usage: syna"'
run --help
check "--help: usage on stdout, exit 0" 'st_is 0 && out_has "usage: syna" && out_has "verify"'
run -h
check "-h: usage, exit 0" 'st_is 0 && out_has "usage: syna"'
run "$DB" frobnicate
check "unknown command: exit 64" 'st_is 64 && err_has "unknown command"'
run --bogus "$DB" info
check "unknown option: exit 64" 'st_is 64 && err_has "unknown option"'
run "$DB"
check "missing command: exit 64" 'st_is 64'
run "$DB" get
check "get without KEY: exit 64" 'st_is 64'
run "$DB" get a b
check "get with two KEYs: exit 64" 'st_is 64'
run "$DB" put k float notanumber
check "put bad float: exit 64, no file created" 'st_is 64 && [ ! -e "$DB" ]'
run "$DB" put k quaternion 1
check "put unknown TYPE: exit 64" 'st_is 64 && err_has "unknown TYPE"'
run "$DB" put k int 99999999999999999999
check "put int out of range: exit 64" 'st_is 64'
run "$DB" put k bytes 0x123
check "put odd hex: exit 64" 'st_is 64'
run "$DB" put k bytes zz
check "put bad hex: exit 64" 'st_is 64'
run "$DB" put k null something
check "put null with VALUE: exit 64" 'st_is 64'
run "$DB" put k float
check "put float without VALUE: exit 64" 'st_is 64'
run "$DB" put k vector "1,,2"
check "put bad vector: exit 64" 'st_is 64'
run "$DB" get ""
check "empty KEY: exit 64" 'st_is 64'
run "$DB" compact --sideways
check "compact unknown option: exit 64" 'st_is 64'

# ---------------------------------------------------------------- missing file
run "$DB" info
check "info on a missing file: database not found, exit 1" 'st_is 1 && err_has "database not found: $DB"'
run "$DB" get k
check "get on a missing file: exit 1, file not created" 'st_is 1 && err_has "database not found" && [ ! -e "$DB" ]'
run "$DB" keys
check "keys on a missing file: exit 1" 'st_is 1 && err_has "database not found"'
run --read-only "$DB" put k int 1
check "--read-only put on a missing file: exit 1, not created" 'st_is 1 && [ ! -e "$DB" ]'

# ---------------------------------------------------------------- put / get
run "$DB" put temperature float 23.5
check "put float creates the file and prints the offset" 'st_is 0 && out_has "^stored at offset [1-9][0-9]*$" && [ -s "$DB" ]'
run "$DB" put count int 42
check "put int" 'st_is 0 && out_has "^stored at offset"'
run "$DB" put name t sensor-1
check "put text (short type name)" 'st_is 0'
run "$DB" put raw b 0x010203
check "put bytes with 0x" 'st_is 0'
run "$DB" put nothing null
check "put null" 'st_is 0'
run "$DB" put vec v "0.1, 0.2,3,4,5,6,7,8,9,10"
check "put vector" 'st_is 0'
run "$DB" put neg i -17
check "put negative int" 'st_is 0'

run "$DB" get temperature
check "get float" 'st_is 0 && out_is "23.5 (float)"'
run "$DB" get count
check "get int" 'st_is 0 && out_is "42 (int)"'
run "$DB" get name
check "get text" 'st_is 0 && out_is "\"sensor-1\" (text)"'
run "$DB" get raw
check "get bytes (hex)" 'st_is 0 && out_is "[3 bytes] 010203 (bytes)"'
run "$DB" get nothing
check "get null" 'st_is 0 && out_is "null"'
run "$DB" get vec
check "get vector (first 8 components)" 'st_is 0 && out_is "[10 dims] 0.1, 0.2, 3, 4, 5, 6, 7, 8, ... (vector)"'
run "$DB" get neg
check "get negative int" 'st_is 0 && out_is "-17 (int)"'
run "$DB" get no-such-key
check "get missing key: message on stderr, exit 1" 'st_is 1 && err_has "key not found" && [ ! -s "$T/out" ]'

HEX100=$(i=0; while [ $i -lt 100 ]; do printf '%02x' $((i % 256)); i=$((i + 1)); done)
HEX64=$(printf '%s' "$HEX100" | cut -c1-128)
run "$DB" put long bytes "$HEX100"
run "$DB" get long
check "get long bytes: truncated after 64 bytes" 'st_is 0 && out_is "[100 bytes] $HEX64... (bytes)"'

QTEXT=$(printf 'say "hi"\\\nbye\001')
run "$DB" put quoted text "$QTEXT"
run "$DB" get quoted
check "get text escapes quotes, backslash, newline, control bytes" \
    'st_is 0 && out_is "\"say \\\"hi\\\"\\\\\\nbye\\x01\" (text)"'

run "$DB" put whole float 42
run "$DB" get whole
check "get integral float keeps a decimal point" 'st_is 0 && out_is "42.0 (float)"'
run "$DB" put pi float 3.141592653589793
run "$DB" get pi
check "get float prints the full precision" 'st_is 0 && out_is "3.141592653589793 (float)"'
run "$DB" put notnum float nan
run "$DB" get notnum
check "get NaN" 'st_is 0 && out_is "NaN (float)"'
run "$DB" put big float -inf
run "$DB" get big
check "get -Infinity" 'st_is 0 && out_is "-Infinity (float)"'
run "$DB" put empty bytes ""
run "$DB" get empty
check "put/get empty bytes" 'st_is 0 && out_is "[0 bytes] (bytes)"'

# ---------------------------------------------------------------- get --json
run --json "$DB" get temperature
check "--json get float" 'st_is 0 && json_ok && json_eq "d == {\"key\": \"temperature\", \"type\": \"float\", \"value\": 23.5}"'
run --json "$DB" get count
check "--json get int" 'st_is 0 && json_ok && json_eq "d[\"type\"] == \"int\" and d[\"value\"] == 42"'
run --json "$DB" get quoted
check "--json get text with quotes and control characters" 'st_is 0 && json_ok && json_eq "d[\"value\"] == \"say \\\"hi\\\"\\\\\\nbye\\x01\""'
run --json "$DB" get raw
check "--json get bytes as hex" 'st_is 0 && json_ok && json_eq "d[\"type\"] == \"bytes\" and d[\"value\"] == \"010203\" and d[\"len\"] == 3"'
run --json "$DB" get long
check "--json get long bytes is not truncated" 'st_is 0 && json_ok && json_eq "d[\"value\"] == \"$HEX100\""'
run --json "$DB" get vec
check "--json get vector" 'st_is 0 && json_ok && json_eq "d[\"dims\"] == 10 and len(d[\"value\"]) == 10 and abs(d[\"value\"][0] - 0.1) < 1e-7 and d[\"value\"][9] == 10"'
run --json "$DB" get nothing
check "--json get null" 'st_is 0 && json_ok && json_eq "d[\"type\"] == \"null\" and d[\"value\"] is None"'
run --json "$DB" get notnum
check "--json NaN is the string \"NaN\"" 'st_is 0 && json_ok && json_eq "d[\"value\"] == \"NaN\""'
run --json "$DB" get big
check "--json -Infinity is the string \"-Infinity\"" 'st_is 0 && json_ok && json_eq "d[\"value\"] == \"-Infinity\""'
run --json "$DB" get pi
check "--json float round-trips (%.17g)" 'st_is 0 && json_ok && json_eq "d[\"value\"] == 3.141592653589793"'
run --json "$DB" put jsonkey i 7
check "--json put: key, type, offset" 'st_is 0 && json_ok && json_eq "d[\"key\"] == \"jsonkey\" and d[\"type\"] == \"int\" and d[\"offset\"] > 0"'
run --json "$DB" get no-such-key
check "--json get missing key: exit 1, nothing on stdout" 'st_is 1 && [ ! -s "$T/out" ]'

# ---------------------------------------------------------------- keys
KDB=$T/keys.db
run "$KDB" put "sensors/b/temp" f 1
run "$KDB" put "sensors/a/temp" f 2
run "$KDB" put "config" t x
run "$KDB" put "sensors/c" i 3
run "$KDB" put "alpha" i 4
run "$KDB" keys
check "keys: all live keys, sorted" 'st_is 0 && out_is "$(printf "alpha\nconfig\nsensors/a/temp\nsensors/b/temp\nsensors/c")"'
run "$KDB" keys 'sensors/*'
check "keys with a glob" 'st_is 0 && out_is "$(printf "sensors/a/temp\nsensors/b/temp\nsensors/c")"'
run "$KDB" keys 'sensors/[ab]/temp'
check "keys with a character class" 'st_is 0 && out_lines 2'
run "$KDB" keys 'nothing*'
check "keys with a glob matching nothing: empty, exit 0" 'st_is 0 && [ ! -s "$T/out" ]'
run --json "$KDB" keys 'sensors/*'
check "--json keys" 'st_is 0 && json_ok && json_eq "d == [\"sensors/a/temp\", \"sensors/b/temp\", \"sensors/c\"]"'
run "$KDB" put "$(printf 'ctl\001key')" i 5
run "$KDB" put "$(printf 'bad\377utf8')" i 6
run "$KDB" put "$(printf 'caf\303\251')" i 7
run "$KDB" keys
check "keys escapes non-printable bytes as \\xNN" 'st_is 0 && out_has_fixed "ctl\\x01key" && out_has_fixed "bad\\xffutf8"'
check "keys prints valid UTF-8 as is" 'out_has_fixed "$(printf "caf\303\251")"'
run --json "$KDB" keys
check "--json keys escapes control and invalid UTF-8 bytes as \\u00NN" \
    'st_is 0 && json_ok && out_has_fixed "\"ctl\\u0001key\"" && out_has_fixed "\"bad\\u00ffutf8\"" && json_eq "\"caf\\u00e9\" in d"'

# ---------------------------------------------------------------- info
run "$KDB" info
check "info: path, sizes, version, counts" 'st_is 0 && out_has "^path: *$KDB" && out_has "^file size: *[0-9]* bytes" && out_has "^allocated size:" && out_has "^format version: *1$" && out_has "^keys: *8$" && out_has "^records: *8$" && out_has "^versions: *8$" && out_has "^index memory:" && out_has "^torn tail: *0 bytes"'
check "info: key prefixes with counts, most frequent first" 'sed -n "/^key prefixes/{n;p;}" "$T/out" | grep -q "^ *3  sensors$"'
run --json "$KDB" info
check "--json info" 'st_is 0 && json_ok && json_eq "d[\"keys\"] == 8 and d[\"records\"] == 8 and d[\"format_version\"] == 1 and d[\"file_bytes\"] > 64 and d[\"key_prefixes\"][0] == {\"prefix\": \"sensors\", \"count\": 3}"'

# ---------------------------------------------------------------- history
HDB=$T/history.db
for v in 20.5 21.25 19.75 22; do "$SYNA" "$HDB" put temp f $v >/dev/null; done
run "$HDB" history temp
check "history: floats in order plus a count line" 'st_is 0 && out_is "$(printf "20.5\n21.25\n19.75\n22.0\n4 float values (4 versions)")"'
run --json "$HDB" history temp
check "--json history" 'st_is 0 && json_ok && json_eq "d == [20.5, 21.25, 19.75, 22.0]"'
for v in 3 1 2; do "$SYNA" "$HDB" put n i $v >/dev/null; done
run "$HDB" history n
check "history of an int key gives the ints" 'st_is 0 && out_is "$(printf "3\n1\n2\n3 int values (3 versions)")"'
run --json "$HDB" history n
check "--json history of ints" 'st_is 0 && json_ok && json_eq "d == [3, 1, 2]"'
run "$HDB" history nope
check "history of a missing key: exit 1" 'st_is 1 && err_has "key not found"'

# ---------------------------------------------------------------- del
run "$KDB" del alpha
check "del a live key" 'st_is 0 && out_has "deleted alpha"'
run "$KDB" get alpha
check "get after del: exit 1" 'st_is 1'
run "$KDB" del alpha
check "del a key that is not live: exit 1" 'st_is 1 && err_has "key not found"'
run --json "$KDB" del config
check "--json del" 'st_is 0 && json_ok && json_eq "d == {\"key\": \"config\", \"deleted\": True}"'
run "$KDB" keys
check "keys after del" 'st_is 0 && ! out_has "^alpha$" && ! out_has "^config$"'

# ---------------------------------------------------------------- compact
CDB=$T/compact.db
i=0
while [ $i -lt 40 ]; do "$SYNA" "$CDB" put counter i $i >/dev/null; "$SYNA" "$CDB" put gauge f "$i.5" >/dev/null; i=$((i + 1)); done
"$SYNA" "$CDB" put keep t stays >/dev/null
B=$(fsize "$CDB")
run "$CDB" compact
A=$(fsize "$CDB")
check "compact shrinks a file with overwritten keys" 'st_is 0 && [ "$A" -lt "$B" ] && out_has "^before: $B bytes" && out_has "^after: *$A bytes" && out_has "^saved: *$((B - A)) bytes"'
run "$CDB" get counter
check "compact keeps the latest values" 'st_is 0 && out_is "39 (int)"'
run "$CDB" history gauge
check "compact drops the history" 'st_is 0 && out_is "$(printf "39.5\n1 float value (1 version)")"'
for v in 1 2 3; do "$SYNA" "$CDB" put gauge f $v >/dev/null; done
run --json "$CDB" compact --keep-history
check "--json compact --keep-history" 'st_is 0 && json_ok && json_eq "d[\"keep_history\"] is True and d[\"after_bytes\"] <= d[\"before_bytes\"] and d[\"saved_bytes\"] == d[\"before_bytes\"] - d[\"after_bytes\"]"'
run "$CDB" history gauge
check "compact --keep-history keeps the history" 'st_is 0 && out_is "$(printf "39.5\n1.0\n2.0\n3.0\n4 float values (4 versions)")"'
run "$CDB" verify
check "verify after compaction is clean" 'st_is 0 && out_has "^ok: "'

# ---------------------------------------------------------------- verify / dump (clean)
run "$KDB" verify
check "verify a clean file: exit 0" 'st_is 0 && out_has "^ok: 10 records, 0 damaged regions (0 bytes), 0 tail bytes, 6 live keys$"'
run --json "$KDB" verify
check "--json verify a clean file" 'st_is 0 && json_ok && json_eq "d[\"status\"] == \"ok\" and d[\"records\"] == 10 and d[\"damaged_regions\"] == 0 and d[\"live_keys\"] == 6 and d[\"regions\"] == []"'
run "$KDB" dump
check "dump lists every record and a summary" 'st_is 0 && out_lines 11 && out_has "^offset=64 len=[0-9]* seq=0 type=float flags=- key=\"sensors/b/temp\" value=1.0$" && out_has "type=null flags=tomb key=\"alpha\" (deleted)" && out_has "^10 records"'
run "$DB" dump
check "dump shows values as get does and the aligned flag" 'st_is 0 && out_has_fixed "key=\"raw\" value=[3 bytes] 010203" && out_has "flags=aligned key=\"vec\" value=\[10 dims\] 0.1, 0.2"'
run --json "$KDB" dump
check "--json dump: array of records, then the summary" 'st_is 0 && json_ok && json_eq "len(d) == 11 and d[0][\"kind\"] == \"record\" and d[0][\"offset\"] == 64 and d[0][\"key\"] == \"sensors/b/temp\" and d[0][\"value\"] == 1.0 and d[-1][\"kind\"] == \"summary\" and d[-1][\"records\"] == 10"'
check "--json dump: tombstones and flags" 'json_eq "any(r.get(\"tombstone\") and r[\"key\"] == \"alpha\" and r[\"flags\"] == [\"tomb\"] for r in d)"'
run --json "$DB" dump
check "--json dump of every value type" 'st_is 0 && json_ok && json_eq "{r[\"type\"] for r in d if r[\"kind\"] == \"record\"} == {\"float\", \"int\", \"text\", \"bytes\", \"null\", \"vector\"}"'

# ---------------------------------------------------------------- damage
XDB=$T/damaged.db
"$SYNA" "$XDB" put k1 f 1 >/dev/null
"$SYNA" "$XDB" put k2 f 2 >/dev/null
OFF=$("$SYNA" "$XDB" put k3 f 3 | sed 's/^stored at offset //')
"$SYNA" "$XDB" put k4 f 4 >/dev/null
"$SYNA" "$XDB" put k5 f 5 >/dev/null
SIZE=$(fsize "$XDB")
flip_byte "$XDB" $((OFF + 20))
run "$XDB" verify
check "verify a damaged middle record: exit 2, region reported" 'st_is 2 && out_has "^damaged  offset $OFF  length 26  seq 2: checksum mismatch$" && out_has "^damaged: 4 records, 1 damaged region (26 bytes), 0 tail bytes, 4 live keys$"'
run --json "$XDB" verify
check "--json verify a damaged file" 'st_is 2 && json_ok && json_eq "d[\"status\"] == \"damaged\" and d[\"damaged_regions\"] == 1 and d[\"first_bad_offset\"] == $OFF and d[\"regions\"][0][\"kind\"] == \"damaged\" and d[\"regions\"][0][\"seq\"] == 2"'
run "$XDB" dump
check "dump a damaged file: records around the damage, exit 2" 'st_is 2 && out_has "^DAMAGED offset=$OFF len=26 seq=2: checksum mismatch$" && out_has "key=\"k4\" value=4.0" && out_has "key=\"k2\" value=2.0"'
run --json "$XDB" dump
check "--json dump a damaged file" 'st_is 2 && json_ok && json_eq "[r[\"kind\"] for r in d] == [\"record\", \"record\", \"damaged\", \"record\", \"record\", \"summary\"]"'
run "$XDB" get k4
check "get on a damaged file fails without --salvage" 'st_is 1 && err_has "corrupt" && err_has "salvage"'
run --salvage --read-only "$XDB" get k5
check "--salvage --read-only reads past the damage" 'st_is 0 && out_is "5.0 (float)"'
run --salvage "$XDB" get k3
check "--salvage: the damaged record's key is gone" 'st_is 1'
check "read-only commands never modify the file" '[ "$(fsize "$XDB")" -eq "$SIZE" ]'

# ---------------------------------------------------------------- torn tail
TDB=$T/torn.db
"$SYNA" "$TDB" put a f 1 >/dev/null
"$SYNA" "$TDB" put b f 2 >/dev/null
"$SYNA" "$TDB" put c f 3.3 >/dev/null   # 25-byte record, no zero byte in its value
TS=$(fsize "$TDB")
truncate_to "$TDB" $((TS - 5))
run "$TDB" verify
check "verify a truncated tail: exit 0 with a warning" 'st_is 0 && out_has "^tail  *offset $((TS - 25))  length 20" && out_has "WARNING" && out_has "^ok with warnings: 2 records, 0 damaged regions (0 bytes), 20 tail bytes, 2 live keys$"'
run --json "$TDB" verify
check "--json verify a truncated tail" 'st_is 0 && json_ok && json_eq "d[\"status\"] == \"tail\" and d[\"tail_bytes\"] == 20 and d[\"regions\"][0][\"kind\"] == \"tail\""'
run "$TDB" info
check "info reports the torn tail (read-only: file unchanged)" 'st_is 0 && out_has "^torn tail: *20 bytes" && [ "$(fsize "$TDB")" -eq $((TS - 5)) ]'
run "$TDB" put d f 4
check "a write cuts the torn tail and appends" 'st_is 0 && out_is "stored at offset $((TS - 25))"'
run "$TDB" verify
check "verify after the torn tail was cut: clean" 'st_is 0 && out_has "^ok: 3 records"'

# ---------------------------------------------------------------- foreign / broken headers
NDB=$T/notes.txt
printf 'These are plain notes, not a database. They are long enough to fill a header.\n' >"$NDB"
run "$NDB" verify
check "verify a non-SynaDB file: exit 1" 'st_is 1 && err_has "not a SynaDB file"'
run "$NDB" info
check "info on a non-SynaDB file: exit 1" 'st_is 1 && err_has "not a SynaDB file"'
run "$NDB" put k i 1
check "put into a non-SynaDB file: exit 1, file untouched" 'st_is 1 && [ "$(head -c 10 "$NDB")" = "These are " ]'
run "$T/none.db" verify
check "verify a missing file: exit 1" 'st_is 1 && err_has "database not found"'
HDR=$T/header.db
cp "$KDB" "$HDR"
flip_byte "$HDR" 40
run "$HDR" verify
check "verify a damaged header: header checksum mismatch, exit 1" 'st_is 1 && err_has "header checksum mismatch"'
VDB=$T/version.db
cp "$KDB" "$VDB"
$PY - "$VDB" <<'EOF'
import struct, sys
def crc32c(data):
    crc = 0xffffffff
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xffffffff
with open(sys.argv[1], "r+b") as f:
    h = bytearray(f.read(64))
    h[8:12] = struct.pack("<I", 2)
    h[60:64] = struct.pack("<I", crc32c(bytes(h[:60])))
    f.seek(0)
    f.write(h)
EOF
run "$VDB" verify
check "verify a newer format version: exit 1" 'st_is 1 && err_has "newer format version"'
run "$VDB" get sensors/c
check "get from a newer format version: exit 1" 'st_is 1 && err_has "version"'

# ---------------------------------------------------------------- read-only and locks
B=$(fsize "$KDB")
run --read-only "$KDB" put x i 1
check "--read-only put fails and leaves the file alone" 'st_is 1 && err_has "read-only" && [ "$(fsize "$KDB")" -eq "$B" ]'
run --read-only "$KDB" get sensors/c
check "--read-only get" 'st_is 0 && out_is "3 (int)"'
rm -f "$T/locked"
$PY -c '
import fcntl, sys, time
f = open(sys.argv[1], "rb")
fcntl.flock(f, fcntl.LOCK_EX)
open(sys.argv[2], "w").close()
time.sleep(30)' "$KDB" "$T/locked" &
HOLDER=$!
n=0
while [ ! -e "$T/locked" ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
run "$KDB" put x i 1
check "put while another process holds the write lock: locked, exit 1" 'st_is 1 && err_has "locked"'
run "$KDB" get sensors/c
check "get while another process writes: works (no lock)" 'st_is 0 && out_is "3 (int)"'
kill "$HOLDER" 2>/dev/null
wait "$HOLDER" 2>/dev/null
HOLDER=
run "$KDB" put x i 1
check "put after the lock is released" 'st_is 0'

# ---------------------------------------------------------------- export / import (synadb_ml.h)
XDB="$T/x.db"
YDB="$T/y.db"
run "$XDB" put t/q t 'quote " comma , newline
end'
run "$XDB" put t/emoji t "$(printf 'e\314\201 \360\237\230\200 \342\200\250')"
run "$XDB" put f/nan f nan
run "$XDB" put f/neg0 f -0.0
run "$XDB" put i/min i -9223372036854775808
run "$XDB" put b/bytes b 00ff00
run "$XDB" put v/vec v '1.5,-0,3'
run "$XDB" put n/null null
for fmt in json jsonl csv; do
    run "$XDB" export $fmt -o "$T/x.$fmt"
    check "export $fmt -o FILE: count and format" 'st_is 0 && out_has "exported 8 records to .*($fmt)"'
    rm -f "$YDB"
    run "$YDB" import $fmt "$T/x.$fmt" pre/
    check "import $fmt with a prefix" 'st_is 0 && out_is "imported 8 records ($fmt)"'
    run "$YDB" export $fmt 'pre/*'
    sed 's#pre/##' "$T/out" > "$T/y.$fmt"
    check "export $fmt of the import (prefix removed) equals the first export" 'cmp -s "$T/x.$fmt" "$T/y.$fmt"'
done
run "$XDB" export json
check "export json to stdout parses" 'st_is 0 && json_ok'
run "$XDB" export csv 'f/*'
check "export csv with a GLOB" 'st_is 0 && out_lines 3 && out_has "^f/nan,float,NaN" && out_has "^f/neg0,float,-0.0"'
$PY -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
assert rows[0] == ["key", "type", "value"], rows[0]
d = {r[0]: r for r in rows[1:]}
assert d["t/q"][2] == "quote \" comma , newline\nend", d["t/q"]
assert d["i/min"][2] == "-9223372036854775808"
assert d["b/bytes"][2] == "AP8A"
assert d["v/vec"][2] == "1.5;-0.0;3"
' "$T/x.csv" >"$T/out" 2>"$T/err"
st=$?
check "python's csv module reads the export" 'st_is 0'
run --json "$XDB" export jsonl -o "$T/x2.jsonl"
check "export --json summary" 'st_is 0 && json_ok && out_has_fixed "\"exported\":8"'
rm -f "$YDB"
"$SYNA" "$XDB" export jsonl | "$SYNA" "$YDB" import jsonl - >"$T/out" 2>"$T/err"
st=$?
check "import from stdin" 'st_is 0 && out_is "imported 8 records (jsonl)"'
printf '{"key":"ok","type":"int","value":1}\n{"key":"bad","type":"int","value":"1"}\n' > "$T/bad.jsonl"
run "$YDB" import jsonl "$T/bad.jsonl"
check "import of a bad file: exit 1, line named" 'st_is 1 && err_has "syntax error" && err_has "line 2"'
run "$YDB" get ok
check "a failed import writes nothing" 'st_is 1'
run "$YDB" import xml "$T/bad.jsonl"
check "import with an unknown FORMAT: usage error" 'st_is 64'
run "$YDB" export json -o
check "export -o without FILE: usage error" 'st_is 64'
run "$YDB" import json "$T/does-not-exist.json"
check "import of a missing file: exit 1" 'st_is 1 && err_has "does-not-exist"'
run --read-only "$YDB" import json "$T/x.json"
check "import --read-only: refused" 'st_is 1 && err_has "read-only"'

# ---------------------------------------------------------------- done
cleanup
trap - EXIT INT TERM
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

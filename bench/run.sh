#!/usr/bin/env bash
# The 10-million-call benchmark (never run by CI). Usage: bench/run.sh [CALLS]   (default 10000000)
#
# Generates a canonical file of CALLS calls with the release build (about 1.2 GB for 10 M; kept under
# bench/data/, which git ignores), gzips it, then times in one run, with peak resident memory:
#   wc -l, zcat > /dev/null, cdrscan ingest (plain and gzip), DuckDB loading the same file into a table,
#   the whole `cdrscan scan` (plain and gzip) next to DuckDB and polars doing three of its analyses
#   (bench/peers.py), and cdrscan's stages timed inside cdrscan.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000000}
DATA=bench/data
mkdir -p "$DATA"
swift build -c release --product cdrscan 2>&1 | tail -n 1
BIN=.build/release/cdrscan
CSV="$DATA/cdrs-$N.csv"
GZ="$CSV.gz"
INV="$DATA/gen-$N/inventory.yaml"
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)"; exit 1; }
python3 -c "import duckdb" 2>/dev/null || pip install -q duckdb
python3 -c "import polars" 2>/dev/null || pip install -q polars
python3 -c "import yaml" 2>/dev/null || pip install -q pyyaml

if [ ! -f "$CSV" ]; then
    /usr/bin/time -f "generate $N calls: %e s, peak %M KB" "$BIN" generate --calls "$N" --layout single --out "$DATA/gen-$N"
    mv "$DATA/gen-$N/cdrs.csv" "$CSV"
fi
[ -f "$GZ" ] || gzip -6 -c "$CSV" > "$GZ"
BYTES=$(stat -c %s "$CSV")
CALLS=$(($(wc -l < "$CSV") - 1))
echo "file: $CSV, $BYTES bytes, $CALLS calls; gzip $(stat -c %s "$GZ") bytes"
printf "%-34s %9s %9s %12s %10s\n" "command" "seconds" "MB/s" "calls/s" "peak MB"
measure() {
    local name=$1
    shift
    local status=0
    /usr/bin/time -f "%e %M" -o /tmp/cdrscan-bench-time "$@" > /dev/null 2> /tmp/cdrscan-bench-err || status=$?
    # cdrscan scan exits 2 when it finds incidents: that is a result, not a failure.
    if [ "$status" -ne 0 ] && [ "$status" -ne 2 ]; then echo "$name failed:"; cat /tmp/cdrscan-bench-err; return; fi
    read -r secs kb < <(tail -n 1 /tmp/cdrscan-bench-time)
    awk -v n="$name" -v s="$secs" -v kb="$kb" -v b="$BYTES" -v c="$CALLS" \
        'BEGIN { printf "%-34s %9.2f %9.0f %12.0f %10.0f\n", n, s, b / 1e6 / s, c / s, kb / 1024 }'
}
measure "wc -l" wc -l "$CSV"
measure "zcat > /dev/null" zcat "$GZ"
measure "cdrscan ingest (plain)" "$BIN" ingest "$CSV" --inventory "$INV" --json --rejects /tmp/cdrscan-bench-rejects.csv
measure "cdrscan ingest --threads 1 (plain)" "$BIN" ingest "$CSV" --inventory "$INV" --json --threads 1 --rejects /tmp/cdrscan-bench-rejects.csv
measure "cdrscan ingest (gzip)" "$BIN" ingest "$GZ" --inventory "$INV" --json --rejects /tmp/cdrscan-bench-rejects.csv
measure "duckdb load into a table (plain)" python3 -c "import duckdb,sys; c=duckdb.connect(); c.execute(\"CREATE TABLE t AS SELECT * FROM read_csv('$CSV')\")"
measure "duckdb load into a table (gzip)" python3 -c "import duckdb,sys; c=duckdb.connect(); c.execute(\"CREATE TABLE t AS SELECT * FROM read_csv('$GZ')\")"
rm -f /tmp/cdrscan-bench.sqlite*
measure "cdrscan scan: everything (plain)" "$BIN" scan "$CSV" --inventory "$INV" --db /tmp/cdrscan-bench.sqlite --html /tmp/cdrscan-bench.html --markdown /tmp/cdrscan-bench.md --fail-on critical --rejects /tmp/cdrscan-bench-rejects.csv
rm -f /tmp/cdrscan-bench.sqlite*
measure "cdrscan scan: everything (gzip)" "$BIN" scan "$GZ" --inventory "$INV" --db /tmp/cdrscan-bench.sqlite --html /tmp/cdrscan-bench.html --markdown /tmp/cdrscan-bench.md --fail-on critical --rejects /tmp/cdrscan-bench-rejects.csv
measure "duckdb: 3 analyses (plain)" python3 bench/peers.py duckdb "$CSV" "$INV"
measure "duckdb: 3 analyses (gzip)" python3 bench/peers.py duckdb "$GZ" "$INV"
measure "polars: 3 analyses (plain)" python3 bench/peers.py polars "$CSV" "$INV"
echo
echo "Analysis stages (timed inside cdrscan, same file):"
"$BIN" scan "$CSV" --inventory "$INV" --db /tmp/cdrscan-bench.sqlite --timings --rejects /tmp/cdrscan-bench-rejects.csv 2>&1 >/dev/null | grep -E "^(timing|memory)" || true
"$BIN" ingest "$CSV" --inventory "$INV" --destinations --rejects /tmp/cdrscan-bench-rejects.csv | grep -E "^(destinations|throughput)"
"$BIN" capacity "$CSV" --inventory "$INV" --timings --rejects /tmp/cdrscan-bench-rejects.csv 2>&1 >/dev/null | grep -E "^timing"

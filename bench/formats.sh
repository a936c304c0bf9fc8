#!/usr/bin/env bash
# Ingest speed of every format against the canonical one (never run by CI). Usage: bench/formats.sh [CALLS]
#
# Generates the same sample organization (CALLS calls, default 1,000,000, over 30 days) in every format the
# generator writes, then times `cdrscan ingest --threads 1` of each, site by site as a deployment reads them
# (three processes a format, JSON summaries read with python: about 0.3 s of the time), and prints seconds,
# rows, calls, bytes and the time per call relative to canonical.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
DATA=bench/data/formats-$N
swift build -c release --product cdrscan 2>&1 | tail -n 1
BIN=.build/release/cdrscan
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)"; exit 1; }
formats="canonical asterisk freeswitch cucm broadworks twilio genesys"
for f in $formats; do
    [ -d "$DATA/$f" ] || "$BIN" generate --seed 5 --calls "$N" --days 30 --format "$f" --out "$DATA/$f" > /dev/null
done
printf "%-12s %9s %10s %10s %9s %12s %9s\n" format seconds rows calls MB "µs/call" "vs canon"
base=""
for f in $formats; do
    # Each site's files are read with its --site, as a deployment reads one PBX's export.
    start=$(date +%s.%N)
    rows=0
    calls=0
    for site in ber nyc sin; do
        j=$("$BIN" ingest "$DATA/$f/$site/"*.csv --inventory "$DATA/$f/inventory.yaml" --site "$site" \
            --threads 1 --json --rejects /tmp/cdrscan-formats-rejects.csv)
        rows=$((rows + $(echo "$j" | python3 -c 'import json,sys; print(json.load(sys.stdin)["rows_read"])')))
        calls=$((calls + $(echo "$j" | python3 -c 'import json,sys; print(json.load(sys.stdin)["calls"])')))
    done
    end=$(date +%s.%N)
    secs=$(echo "$end - $start" | bc -l)
    mb=$(du -sm "$DATA/$f" | cut -f1)
    per=$(echo "$secs * 1000000 / $calls" | bc -l)
    [ -z "$base" ] && base=$per
    printf "%-12s %9.2f %10d %10d %9d %12.2f %9.2f\n" "$f" "$secs" "$rows" "$calls" "$mb" "$per" "$(echo "$per / $base" | bc -l)"
done

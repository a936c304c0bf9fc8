#!/usr/bin/env bash
# Ingest speed of every format against the canonical one (never run by CI).
# Usage: bench/formats.sh [CALLS] [ROUNDS] [THREADS]   (defaults 1,000,000 calls, 5 rounds, 1 thread)
#
# Generates the same sample organization (CALLS calls over 30 days) in every format the generator writes (and
# FreeSWITCH's default template, cut from its rows; acme-pbx is the example custom mapping's format), reads every format once untimed, then,
# ROUNDS times in turn, times `cdrscan ingest --threads THREADS` of each format, site by site as a deployment reads
# them (three processes a format). With THREADS 2 (what `cdrscan` uses by default) every format is read in the
# two-thread pipeline, and the wall time is the one to compare; with 1, the CPU time. Prints, per format: rows, calls, MB, and the median over the rounds of the wall
# time and of the CPU time (user + system) a call of the cdrscan processes (not of this script's JSON parsing,
# which earlier versions counted: about 0.3 s a format, which flattered every ratio), each as a ratio to
# canonical's in the same round. Single-threaded, the two agree on an idle machine; on a noisy shared one the
# CPU time is the steadier. Last, each format's fastest round against canonical's fastest (noise only adds time).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
ROUNDS=${2:-5}
THREADS=${3:-1}
DATA=bench/data/formats-$N
swift build -c release --product cdrscan 2>&1 | tail -n 1
BIN=.build/release/cdrscan
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)"; exit 1; }
formats="canonical asterisk freeswitch freeswitch-default cucm broadworks twilio genesys acme-pbx"
# The custom mapping's files are read with the mapping the generator writes next to them.
mapping() { [ "$1" = acme-pbx ] && echo "--mapping $DATA/acme-pbx/acme-pbx.mapping.yaml"; true; }
for f in $formats; do
    [ "$f" = freeswitch-default ] && continue
    [ -d "$DATA/$f" ] || "$BIN" generate --seed 5 --calls "$N" --days 30 --format "$f" --out "$DATA/$f" > /dev/null
done
# FreeSWITCH's default `mod_cdr_csv` template: the first 13 of the generated rows' 19 fields (local-time stamps, no
# epoch times, no gateway column), the template most FreeSWITCH systems write.
if [ ! -d "$DATA/freeswitch-default" ]; then
    python3 - "$DATA/freeswitch" "$DATA/freeswitch-default" <<'PY'
import os, shutil, sys
src, dst = sys.argv[1], sys.argv[2]
for root, _, files in os.walk(src):
    out = os.path.join(dst, os.path.relpath(root, src))
    os.makedirs(out, exist_ok=True)
    for name in files:
        if not name.endswith(".csv"):
            shutil.copy(os.path.join(root, name), out)
            continue
        with open(os.path.join(root, name)) as f, open(os.path.join(out, name), "w") as g:
            for line in f:  # every field quoted; a value never holds `","`
                g.write('","'.join(line.rstrip("\n").split('","')[:13]) + '"\n')
PY
fi
OUT=$(mktemp)
# One untimed round first: the first round after generating or building ran in another page-cache state than
# the rest (at 10 M calls the formats take 18 GB, about what this machine caches), and its CPU ratios reached
# 1.9 to 2.6 for formats whose later rounds gave 1.1 to 1.7.
for f in $formats; do
    for site in ber nyc sin; do
        # shellcheck disable=SC2046
        "$BIN" ingest "$DATA/$f/$site/"*.csv $(mapping "$f") --inventory "$DATA/$f/inventory.yaml" --site "$site" \
            --threads "$THREADS" --json --rejects /tmp/cdrscan-formats-rejects.csv > /dev/null
    done
done
for round in $(seq 1 "$ROUNDS"); do
    for f in $formats; do
        wall=0
        rows=0
        calls=0
        cpu=0
        for site in ber nyc sin; do
            # shellcheck disable=SC2046
            j=$(/usr/bin/time -f "%e %U %S" -o /tmp/cdrscan-formats-time "$BIN" ingest "$DATA/$f/$site/"*.csv \
                $(mapping "$f") --inventory "$DATA/$f/inventory.yaml" --site "$site" --threads "$THREADS" --json \
                --rejects /tmp/cdrscan-formats-rejects.csv)
            rows=$((rows + $(echo "$j" | python3 -c 'import json,sys; print(json.load(sys.stdin)["rows_read"])')))
            calls=$((calls + $(echo "$j" | python3 -c 'import json,sys; print(json.load(sys.stdin)["calls"])')))
            wall=$(echo "$wall + $(awk '{print $1}' /tmp/cdrscan-formats-time)" | bc -l)
            cpu=$(echo "$cpu + $(awk '{print $2 + $3}' /tmp/cdrscan-formats-time)" | bc -l)
        done
        echo "$round $f $wall $cpu $rows $calls $(du -sm "$DATA/$f" | cut -f1)" >> "$OUT"
    done
done
python3 - "$OUT" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
rounds = {}
for r, f, wall, cpu, nrows, calls, mb in rows:
    rounds.setdefault(r, {})[f] = (float(wall), float(cpu), int(nrows), int(calls), int(mb))
formats = list(dict.fromkeys(f for _, f, *_ in rows))
print(f"{'format':<18} {'rows':>9} {'calls':>9} {'MB':>5} {'wall µs/call':>13} {'× canon (wall)':>15} {'× canon (CPU)':>14} "
      f"{'min CPU µs/call':>16} {'× canon (min CPU)':>18}  CPU ratio per round")
canonMin = min(rd["canonical"][1] / rd["canonical"][3] for rd in rounds.values())
for f in formats:
    wall = [rd[f][0] / rd[f][3] * 1e6 for rd in rounds.values()]
    wr = [(rd[f][0] / rd[f][3]) / (rd["canonical"][0] / rd["canonical"][3]) for rd in rounds.values()]
    cr = [(rd[f][1] / rd[f][3]) / (rd["canonical"][1] / rd["canonical"][3]) for rd in rounds.values()]
    # Each format's fastest round against canonical's fastest: this machine's noise only ever adds time, so the
    # minimum is the steadiest estimate of what the code costs (the per-round ratios pair a fast round with a slow one).
    low = min(rd[f][1] / rd[f][3] for rd in rounds.values())
    _, _, nrows, calls, mb = next(iter(rounds.values()))[f]
    print(f"{f:<18} {nrows:>9} {calls:>9} {mb:>5} {statistics.median(wall):>13.2f} {statistics.median(wr):>15.2f} "
          f"{statistics.median(cr):>14.2f} {low * 1e6:>16.2f} {low / canonMin:>18.2f}  " + " ".join(f"{x:.2f}" for x in cr))
PY
rm -f "$OUT"

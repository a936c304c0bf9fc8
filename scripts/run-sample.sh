#!/usr/bin/env bash
# Installs what cdrscan needs (Debian), builds it, and runs the main jobs on the shipped sample month:
# the nightly pipeline night by night (as cron would), the monthly capacity review, and the one-shot scan with
# its reports.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for pkg in libsqlite3-dev zlib1g-dev tzdata; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi

swift build -c release --product cdrscan 2>&1 | tail -n 1
bin=.build/release/cdrscan
mkdir -p out
inv=sample-cdrs/month/inventory.yaml

"$bin" validate pipelines/*.yaml

echo
echo "== cdrscan run pipelines/nightly.yaml, one night after the other (as cron would), October 2026 =="
# Status 2 means incidents of high severity or worse were found that night (the sample has injected fraud);
# lower ones are printed too, with status 0.
for day in $(seq -w 1 31); do
    night=2026-10-$day
    status=0
    "$bin" run pipelines/nightly.yaml --night "$night" -q > "out/nightly-$night.txt" || status=$?
    case $status in
        0|2)
            if grep -qE '^#[0-9]+ ' "out/nightly-$night.txt"; then
                echo "$night  status $status  incidents: out/nightly-$night.txt, out/nightly-$night.html"
                grep -E '^#[0-9]+ ' "out/nightly-$night.txt" | sed 's/^/      /'
            else
                echo "$night  status 0  quiet night"
            fi ;;
        *) echo "$night  status $status"; exit "$status" ;;
    esac
done
echo "A second run of a night reads nothing new and changes nothing:"
"$bin" run pipelines/nightly.yaml --night 2026-10-24 -v

echo
echo "== cdrscan run pipelines/capacity-monthly.yaml --month 2026-10 =="
"$bin" run pipelines/capacity-monthly.yaml --month 2026-10 -q
"$bin" capacity sample-cdrs/month/*/*.csv.gz --inventory "$inv" --month 2026-10 --rejects out/rejects.csv

echo
echo "== cdrscan scan: the one-shot job over the whole month (ingest, every detector, capacity, results, reports) =="
status=0
"$bin" scan sample-cdrs/month/*/*.csv.gz --inventory "$inv" --rejects out/rejects.csv \
    --db out/results.sqlite --html out/report.html --markdown out/report.md || status=$?
if [ "$status" -ne 0 ] && [ "$status" -ne 2 ]; then exit "$status"; fi

echo
echo "== cdrscan trace +881 --db out/nightly.sqlite (calls kept by the nightly history) =="
"$bin" trace +881 --db out/nightly.sqlite --inventory "$inv" --limit 5

echo
echo "Results: out/nightly.sqlite, out/capacity.sqlite, out/results.sqlite (sqlite3 out/results.sqlite 'select * from incidents')"
echo "Reports: out/nightly-2026-10-*.html, out/capacity-2026-10.html, out/report.html (and .md of each)"

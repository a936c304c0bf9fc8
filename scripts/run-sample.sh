#!/usr/bin/env bash
# Installs what cdrscan needs (Debian), builds it, and runs it on the shipped sample month:
# ingest (what was read, rejects by reason) and the monthly trunk-capacity review.
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

echo "== cdrscan scan: ingest, every detector, capacity, results database and reports (sample month, 3 sites) =="
status=0
"$bin" scan sample-cdrs/month/*/*.csv.gz --inventory "$inv" --rejects out/rejects.csv \
    --db out/results.sqlite --html out/report.html --markdown out/report.md || status=$?
if [ "$status" -ne 0 ] && [ "$status" -ne 2 ]; then exit "$status"; fi
echo
echo "== cdrscan capacity --month 2026-10 =="
"$bin" capacity sample-cdrs/month/*/*.csv.gz --inventory "$inv" --month 2026-10 --rejects out/rejects.csv
echo
echo "Results: out/results.sqlite (sqlite3 out/results.sqlite 'select * from incidents'), reports: out/report.html, out/report.md"
echo "(scan exits with status 2 when it finds incidents of high severity or worse: the sample month has injected fraud.)"

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

echo "== cdrscan ingest (sample month, 3 sites, 93 gzip files) =="
"$bin" ingest sample-cdrs/month/*/*.csv.gz --inventory "$inv" --rejects out/rejects.csv
echo
echo "== cdrscan capacity --month 2026-10 =="
"$bin" capacity sample-cdrs/month/*/*.csv.gz --inventory "$inv" --month 2026-10 --rejects out/rejects.csv

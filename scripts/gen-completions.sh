#!/usr/bin/env bash
# Regenerates completions/ and man/cdrscan.1 from the current commands (a test checks the completions).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product cdrscan 2>&1 | tail -n 1
for sh in bash zsh fish; do .build/debug/cdrscan --generate-completion-script "$sh" > "completions/cdrscan.$sh"; done
swift package --allow-writing-to-package-directory generate-manual --date 2026-11-27 \
    --authors "cdrscan developers" --output-directory man 2>&1 | tail -n 1

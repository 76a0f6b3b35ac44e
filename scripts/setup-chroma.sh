#!/usr/bin/env bash
# Installs the Chroma server into .venv/chroma. The chromadb npm package's own `chroma run`
# needs glibc 2.38+, which Debian 12 lacks, so the pinned Python package serves instead.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.venv/chroma
if [ -x "$venv/bin/chroma" ] && "$venv/bin/pip" freeze 2>/dev/null | grep -qxF -f tools/chroma/requirements.txt; then
  echo "Chroma already installed in $venv"
  exit 0
fi
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r tools/chroma/requirements.txt
echo "Chroma installed in $venv ($("$venv/bin/chroma" --version 2>/dev/null || echo chroma))"

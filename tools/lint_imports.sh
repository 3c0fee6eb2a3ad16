#!/usr/bin/env bash
# Run import-linter on the installed layout: core/ -> remarkit, plugins/ -> remarkit.plugins.
# (An editable install maps the folders through a finder that import-linter cannot walk.)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$repo/core" "$tmp/remarkit"
cp -r "$repo/plugins" "$tmp/remarkit/plugins"
cp -r "$repo/report_templates" "$tmp/remarkit/report_templates"
cd "$tmp"
PYTHONPATH="$tmp" "$repo/.venv/bin/lint-imports" --config "$repo/pyproject.toml"

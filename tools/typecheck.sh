#!/usr/bin/env bash
# Run mypy on the installed layout: core/ -> remarkit, plugins/ -> remarkit.plugins,
# report_templates/ -> remarkit.report_templates. mypy cannot follow setuptools' package-dir
# mapping, so a `remarkit/` tree of symlinks is laid out under the mypy cache (a fixed path, so
# the incremental cache stays valid between runs) and the paths in mypy's output are written back
# to the repo's core/... plugins/... report_templates/... paths.
# Usage: tools/typecheck.sh [extra mypy args]. TYPECHECK_ROOT=DIR checks another copy of the repo.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "${TYPECHECK_ROOT:-$repo}" && pwd)
python=${TYPECHECK_PYTHON:-$repo/.venv/bin/python}
[ -x "$python" ] || python=python3
cache="$root/.mypy_cache/typecheck"
tree="$cache/tree"
rm -rf "$tree"
mkdir -p "$tree/remarkit"
for entry in "$root"/core/*; do
  ln -s "$entry" "$tree/remarkit/$(basename "$entry")"
done
ln -s "$root/plugins" "$tree/remarkit/plugins"
ln -s "$root/report_templates" "$tree/remarkit/report_templates"
cd "$tree"
set +e
"$python" -m mypy --config-file "$root/pyproject.toml" --cache-dir "$cache/mypy" \
  --no-color-output --no-error-summary -p remarkit "$@" > "$cache/out.txt" 2>&1
status=$?
set -e
sed -E -e 's#^remarkit/plugins/#plugins/#' \
  -e 's#^remarkit/report_templates/#report_templates/#' \
  -e 's#^remarkit/#core/#' "$cache/out.txt"
if [ "$status" -eq 0 ]; then
  echo "typecheck: no issues (remarkit package: core, plugins, report_templates)"
else
  errors=$(grep -c ': error:' "$cache/out.txt" || true)
  files=$( (grep ': error:' "$cache/out.txt" || true) | cut -d: -f1 | sort -u | wc -l)
  echo "typecheck: $errors errors in $files files"
fi
exit "$status"

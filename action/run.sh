#!/usr/bin/env bash
# The GitHub Action's one step (action.yml): install authlint from the action's own checkout (so
# `uses: authlint/authlint@v0.2.0` runs v0.2.0) into a virtualenv of its own (runner images refuse
# pip installs into the system Python, PEP 668), check, write SARIF, annotate the log.
#
# Inputs arrive as INPUT_* variables; outputs go to $GITHUB_OUTPUT. The exit status is 1 when
# findings remain and INPUT_FAIL_ON_FINDINGS is "true", 2 when authlint itself failed.
set -euo pipefail

action_path="${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set (run as a GitHub Action)}"
runner_temp="${RUNNER_TEMP:-${TMPDIR:-/tmp}}"
python="${INPUT_PYTHON:-python3}"
sarif_file="${INPUT_SARIF_FILE:-authlint.sarif}"
fail_on_findings="${INPUT_FAIL_ON_FINDINGS:-true}"
read -r -a paths <<< "${INPUT_PATHS:-.}"
read -r -a args <<< "${INPUT_ARGS:-}"

venv="$runner_temp/authlint-venv"
if [ ! -x "$venv/bin/authlint" ]; then
  echo "::group::Install authlint from $action_path"
  [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --disable-pip-version-check --quiet "$action_path"
  echo "::endgroup::"
fi
authlint="$venv/bin/authlint"
"$authlint" --version

# SARIF first (every finding, exit status ignored), then the same check as annotations: the
# second run reads the first one's cache, so it costs little.
status=0
"$authlint" check "${paths[@]}" "${args[@]}" --output-format sarif --output-file "$sarif_file" --exit-zero || status=$?
if [ "$status" -ne 0 ]; then
  echo "::error title=authlint::authlint check failed (exit $status) while writing $sarif_file"
  exit 2
fi
status=0
"$authlint" check "${paths[@]}" "${args[@]}" --output-format github || status=$?

findings="$("$venv/bin/python" -c 'import json, sys; print(sum(len(run["results"]) for run in json.load(open(sys.argv[1]))["runs"]))' "$sarif_file")"
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  { echo "sarif-file=$sarif_file"; echo "findings=$findings"; } >> "$GITHUB_OUTPUT"
fi
echo "authlint: $findings findings, SARIF in $sarif_file"

case "$status" in
  0) exit 0 ;;
  1) [ "$fail_on_findings" = "true" ] && exit 1 || exit 0 ;;
  *) exit 2 ;;
esac

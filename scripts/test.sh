#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs the outside tools the integration tests use
# (into .tools/, which git ignores), then runs every test with those tests switched on.
# Plain `cargo test` runs the self-contained tests only.
set -euo pipefail
cd "$(dirname "$0")/.."

tools="$PWD/.tools"
mkdir -p "$tools"

# PyPI: check-jsonschema (an independent JSON Schema validator, for differential schema tests)
# helm-python-sdk (Helm's real engine; tests/tools/helm gives it helm's command line) and
# pre-commit (the hooks are tested with the real pre-commit).
if [ ! -x "$tools/venv/bin/pre-commit" ] || ! "$tools/venv/bin/python" -c "import helm_python" 2>/dev/null; then
  python3 -m venv "$tools/venv"
  "$tools/venv/bin/pip" install --quiet --disable-pip-version-check "check-jsonschema==0.39.0" "helm-python-sdk==0.2.2" "pre-commit==4.5.1"
fi
export PATH="$tools/venv/bin:$PATH"

# kubectl (with its built-in kustomize) renders the kustomize tests' overlays.
if ! command -v kubectl >/dev/null && ! command -v kustomize >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kubernetes-client >/dev/null || echo "warning: could not install kubectl; the kustomize tests will fail" >&2
fi

# Debian: Go and robfig/cron v3.0.1, to build cronoracle (KEDA's cron decisions) for the
# differential cron test.
if ! command -v go >/dev/null || ! dpkg -s golang-github-robfig-cron-dev >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-go golang-github-robfig-cron-dev >/dev/null
fi

export KEDALINT_EXTERNAL_TESTS=1
cargo test --locked --all-targets

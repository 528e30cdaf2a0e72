#!/usr/bin/env bash
# The checks run by ./cato test after Maven: no package cycle in core (scripts/package_cycles.py),
# cfn-lint on template.yaml, the template and script tests (tests/infra), and the SageMaker
# containers' pytest suites (sagemaker/*/tests).
# Needs Python 3.11+ with cfn-lint, pytest and numpy; fails if any check fails.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PYTHON="${PYTHON:-python3}"
missing=()
command -v "$PYTHON" >/dev/null 2>&1 || { echo "test-infra: '$PYTHON' is not installed (Python 3.11+ needed)" >&2; exit 1; }
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || { echo "test-infra: Python 3.11+ is needed (tomllib), found $("$PYTHON" --version 2>&1)" >&2; exit 1; }
for module in cfnlint pytest numpy samtranslator; do
  "$PYTHON" -c "import $module" >/dev/null 2>&1 || missing+=("$module")
done
command -v cfn-lint >/dev/null 2>&1 || missing+=("cfn-lint (the command)")
if [ ${#missing[@]} -gt 0 ]; then
  echo "test-infra: missing Python packages: ${missing[*]} (pip install cfn-lint pytest numpy)" >&2
  exit 1
fi

failed=()
run() {
  local name="$1"; shift
  echo "test-infra: $name" >&2
  if ! "$@"; then failed+=("$name"); fi
}

# core's packages must not import each other in a cycle (jdeps over the classes Maven compiled).
run "package cycles in core" "$PYTHON" scripts/package_cycles.py core/target/classes
# Errors, warnings and informational findings all fail: the template must lint clean.
run "cfn-lint template.yaml" cfn-lint --include-checks I -- template.yaml
run "template test" "$PYTHON" -m pytest -q -p no:cacheprovider tests/infra
for suite in sagemaker/*/tests; do
  [ -d "$suite" ] && run "pytest $suite" "$PYTHON" -m pytest -q -p no:cacheprovider "$suite"
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "test-infra: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "test-infra: all passed" >&2

#!/usr/bin/env bash
# The suite on the LOWEST dependency versions pyproject.toml allows, so its floors stay honest.
# Installs them (uv's --resolution lowest-direct: lowest direct dependencies, newest transitive
# ones) into a venv of its own, prints what it got, then runs pytest there.
#   bash tools/lowest_deps.sh [pytest args]      (needs python3 and PyPI; .ci/run calls it)
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${KKDESK_LOWEST_VENV:-.venv-lowest}"
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install -q uv                      # uv from PyPI, into the venv it resolves for
"$venv/bin/uv" pip install -q --python "$venv/bin/python" --resolution lowest-direct '.[test]'
echo "lowest allowed versions:"
"$venv/bin/uv" pip list --python "$venv/bin/python" | grep -iE \
  '^(pyside6-essentials|shiboken6|sqlalchemy|alembic|sqlcipher3|reportlab|rl-accel|pypdfium2|babel|appdirs|cryptography|pyrage|rfc8785|pytest|pytest-qt|hypothesis|pypdf|hatchling) '
exec "$venv/bin/python" -m pytest -p no:cacheprovider "$@"

# Sourced by scripts/run and scripts/test: find Python >= 3.12, create .venv, install.
# Prints what is missing and exits when no suitable Python exists.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

python_ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; }

find_python() {
  local candidate
  for candidate in "${OUTAGEDESK_PYTHON:-}" python3.12 python3.13 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 && python_ok "$(command -v "$candidate")"; then
      command -v "$candidate"; return 0
    fi
  done
  # pyenv keeps versions that are not on PATH.
  local root="${PYENV_ROOT:-$HOME/.pyenv}"
  for candidate in "$root"/versions/3.12*/bin/python3 "$root"/versions/3.13*/bin/python3; do
    if [ -x "$candidate" ] && python_ok "$candidate"; then echo "$candidate"; return 0; fi
  done
  return 1
}

ensure_venv() {
  if [ -x "$VENV/bin/python" ]; then
    if ! python_ok "$VENV/bin/python"; then
      echo ".venv was made with a Python older than 3.12: remove it (rm -rf .venv) and run again." >&2
      exit 1
    fi
  else
    local python
    if ! python="$(find_python)"; then
      echo "OutageDesk needs Python 3.12 or newer, and none was found." >&2
      echo "Install it (for example: apt-get install python3.12, or pyenv install 3.12)" >&2
      echo "or point OUTAGEDESK_PYTHON at its interpreter." >&2
      exit 1
    fi
    echo "Creating .venv with $python"
    "$python" -m venv "$VENV"
  fi
  # Reinstall only when pyproject.toml changed since the last install.
  local stamp="$VENV/.installed-$(sha256sum "$ROOT/pyproject.toml" | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    echo "Installing dependencies into .venv"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet -e "$ROOT[dev]"
    rm -f "$VENV"/.installed-*
    touch "$stamp"
  fi
  export PATH="$VENV/bin:$PATH"
}

# Shared by scripts/run and scripts/test: a virtualenv with the pinned
# requirements, and the Debian packages WeasyPrint, the fonts and the browser
# tests need. Sourced, not run.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
PYTHON_BIN="${PYTHON_BIN:-python3.11}"
command -v "$PYTHON_BIN" >/dev/null 2>&1 || PYTHON_BIN=python3

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }

# ensure_debian_packages PKG... installs what is missing (needs root or sudo).
ensure_debian_packages() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if ! command -v apt-get >/dev/null 2>&1; then
        say "Please install these system packages: ${missing[*]}"
        return 0
    fi
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    say "Installing system packages: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# Runtime libraries: WeasyPrint (Pango) and a CJK font for Chinese PDFs.
RUNTIME_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk gettext)

ensure_venv() {
    if [ ! -x "$VENV/bin/python" ]; then
        say "Creating the virtualenv in $VENV"
        "$PYTHON_BIN" -m venv "$VENV"
    fi
    local stamp="$VENV/.requirements.sha256"
    local want
    want="$(sha256sum "$ROOT/requirements.txt" | cut -d' ' -f1)"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        say "Installing Python packages (requirements.txt)"
        "$VENV/bin/python" -m pip install -q --upgrade pip
        "$VENV/bin/python" -m pip install -q -r "$ROOT/requirements.txt"
        echo "$want" >"$stamp"
    fi
}

# Shared by scripts/run and scripts/test: a virtualenv with the pinned
# requirements (runtime or dev), and the Debian packages WeasyPrint, the fonts and the browser
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

# The hash of the requirement files a kind (dev or runtime) installs.
requirements_hash() {
    if [ "$1" = dev ]; then
        cat "$ROOT/requirements.txt" "$ROOT/requirements-dev.txt"
    else
        cat "$ROOT/requirements.txt"
    fi | sha256sum | cut -d' ' -f1
}

# Whether the virtualenv holds the current requirements of a kind.
requirements_current() {
    local stamp="$VENV/.requirements-$1.sha256"
    [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(requirements_hash "$1")" ]
}

# ensure_venv [dev|runtime]: a virtualenv with requirements-dev.txt (tests and
# tools; the default, for `make test` and CI) or requirements.txt (what the
# CRM runs with, for `make run`). A stamp per kind holds the hash of the files
# it installed, so a changed file installs again.
ensure_venv() {
    local kind="${1:-dev}"
    if [ ! -x "$VENV/bin/python" ]; then
        say "Creating the virtualenv in $VENV"
        "$PYTHON_BIN" -m venv "$VENV"
    fi
    requirements_current "$kind" && return 0
    # requirements-dev.txt includes requirements.txt: a current dev install will do for running.
    [ "$kind" = runtime ] && requirements_current dev && return 0
    local file="$ROOT/requirements.txt"
    [ "$kind" = dev ] && file="$ROOT/requirements-dev.txt"
    say "Installing Python packages ($(basename "$file"))"
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -r "$file"
    requirements_hash "$kind" >"$VENV/.requirements-$kind.sha256"
}

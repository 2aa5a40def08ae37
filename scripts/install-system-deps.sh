#!/usr/bin/env bash
# Install the Debian packages mmlanim needs, skipping those already present.
#
#   cairo + pango headers, pkg-config   ManimPango and pycairo build from source
#   texlive (+ latex-extra), dvisvgm    MathTex (standalone.cls lives in latex-extra)
#   espeak-ng                           the default offline voice
#
# With --browser (what `make test` runs) also:
#   chromium, fonts-dejavu-core         the browser tests of published sites (driven by playwright)
#
# Safe to run again: it does nothing when everything is installed.
set -euo pipefail

packages=(
  libcairo2-dev libpango1.0-dev pkg-config
  texlive-latex-base texlive-latex-extra texlive-fonts-recommended dvisvgm
  espeak-ng
  fonts-lmodern
)
if [ "${1:-}" = "--browser" ]; then
  packages+=(chromium fonts-dejavu-core)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

# A Debian python3 needs python3-venv for `python3 -m venv`.
if command -v python3 >/dev/null && ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
  missing+=(python3-venv)
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "system packages missing: ${missing[*]}" >&2
  echo "This script installs them with apt-get (Debian/Ubuntu). On macOS see README.md (brew)." >&2
  exit 1
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "system packages missing: ${missing[*]}" >&2
  echo "Run as root:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi

echo "installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"

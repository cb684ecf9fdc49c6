#!/usr/bin/env bash
# One-time setup on a fresh Debian/Ubuntu machine, idempotent and quick when already done:
#   1. the system packages Manim needs to build (pycairo, manimpango) and to render MathTex;
#   2. a virtual environment in .venv with the project, its test extras, the narration voice
#      (the [voice] extra: Piper, GPL-3.0, with a CC0 voice; see README "Narration") and the slide
#      deck's PowerPoint writer (the [slides] extra: python-pptx; see README "A slide deck for class").
# Called by `make setup` (and so by `make test` and `make video`).
set -euo pipefail
cd "$(dirname "$0")/.."

SYSTEM_PACKAGES=(
  python3-venv python3-dev                                    # the virtual environment, C headers
  build-essential pkg-config libcairo2-dev libpango1.0-dev   # pycairo, manimpango from source
  texlive-latex-base texlive-latex-extra dvisvgm              # MathTex
  fonts-dejavu-core                                           # the scenes' font
  sox                                                         # manim-voiceover's audio tool
  dataset-fashion-mnist                                       # full-size IDX data for checks
  chromium                                                    # the slide deck's test opens it headless
)
# Debian's chromium: where the system has no such package (Ubuntu ships a snap), the browser test skips
OPTIONAL_PACKAGES=(chromium)

missing=()
for pkg in "${SYSTEM_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  for pkg in "${OPTIONAL_PACKAGES[@]}"; do
    if [[ " ${missing[*]} " == *" $pkg "* ]] && ! apt-cache show "$pkg" >/dev/null 2>&1; then
      echo "setup: no $pkg package on this system; its test will be skipped"
      missing=("${missing[@]/$pkg}")
    fi
  done
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends ${missing[*]} >/dev/null
fi

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PYTHON" -m venv .venv
fi
echo "setup: installing the project into .venv"
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test,voice,slides]"

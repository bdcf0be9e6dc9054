#!/usr/bin/env bash
# Installs what the report integration tests use, when missing: pdflatex with booktabs (TeX Live) to
# compile the LaTeX tables, headless Chromium to render the HTML report to a screenshot, librsvg's
# rsvg-convert for PDF figures and poppler's pdfinfo, pdffonts and pdftoppm to check them.
set -euo pipefail
packages=(texlive-latex-base texlive-latex-recommended chromium fonts-dejavu-core librsvg2-bin poppler-utils)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup-report-tools: installing ${missing[*]}"
    sudo_cmd=()
    [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
    export DEBIAN_FRONTEND=noninteractive
    "${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
    "${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

#!/usr/bin/env bash
# Install everything the tests need on a fresh Debian/Ubuntu machine, into ./.venv:
# LibreOffice (recalculating templates, PDF export), CJK fonts, Chromium (HTML checks),
# poppler (PDF to PNG), Node.js (add-in JavaScript tests), and the Python package with
# its test and server extras.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(libreoffice-calc-nogui libreoffice-writer-nogui fonts-noto-cjk fonts-arphic-ukai fonts-arphic-gkai00mp chromium chromium-driver poppler-utils nodejs)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "安装系统软件包：${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test,server]'
echo "测试环境已就绪：.venv"

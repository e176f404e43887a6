#!/usr/bin/env bash
# One-step set-up on a fresh Debian machine (see README).
#   ./setup.sh        install what is needed, then build the demo in catalogs/ into output/
#   ./setup.sh test   install what is needed (with test tools and Chromium), then run the tests
set -euo pipefail
cd "$(dirname "$0")"
mode="${1:-build}"

# Debian packages the PDF path needs (SPEC §7); tests also drive a real browser and read PDFs.
# libreoffice-writer-nogui: admission letters' PDF is their Word template converted by LibreOffice.
packages=(fonts-noto-cjk fonts-arphic-gkai00mp libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 fontconfig poppler-utils
          libreoffice-writer-nogui)
if [ "$mode" = "test" ]; then
  # the catalog page's tests and the `publisher serve` browser test (Playwright from the test extra,
  # pointed at /usr/bin/chromium: `playwright install` downloads a browser and is never run)
  packages+=(chromium)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Installing Debian packages: ${missing[*]}"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  else
    echo "Missing Debian packages. Run as root:"
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}"
    [ "$mode" = "test" ] && exit 1
  fi
fi

python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore --upgrade pip >/dev/null 2>&1 || true
if [ "$mode" = "test" ]; then
  python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore -e '.[test]'
  exec python3 -m pytest -q -p no:cacheprovider "${@:2}"
else
  python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore -e .
  python3 -m publisher doctor || true
  # Exit 3: built, with rejected inputs listed — the demo's province folder holds one erroneous
  # return (潍坊市) on purpose, to show how the compilation reports it.
  status=0
  python3 -m publisher build catalogs -o output || status=$?
  [ "$status" = 0 ] || [ "$status" = 3 ]
fi

#!/bin/sh
# The system tools Quartieri's commands drive, installed from Debian when missing.
#   .ci/system-deps.sh TOOL...   e.g. chromium pdftotext pdffonts pdftoppm msgfmt
# Root: installs the missing packages with apt-get. Anyone else: prints the exact
# apt-get command and exits 1. Used by `make system-deps` (and so by `make test`,
# `make run` and .ci/run).
set -eu

package_of() {
  case "$1" in
    chromium) echo chromium ;;                        # the browser tests (Playwright)
    pdftotext | pdffonts | pdftoppm) echo poppler-utils ;;  # the PDF tests
    msgfmt) echo gettext ;;                           # make messages (compilemessages)
    *) echo "system-deps: no Debian package known for '$1'" >&2; exit 2 ;;
  esac
}

missing() {
  packages=""
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 && continue
    package=$(package_of "$tool")
    case " $packages " in *" $package "*) ;; *) packages="$packages $package" ;; esac
  done
  echo "${packages# }"
}

[ $# -gt 0 ] || { echo "usage: $0 TOOL..." >&2; exit 2; }
need=$(missing "$@")
[ -z "$need" ] && exit 0

command="apt-get update && apt-get install -y $need"
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Quartieri needs the Debian packages: $need" >&2
  echo "Install them as root, then run make again:" >&2
  echo "  sudo sh -c '$command'" >&2
  exit 1
fi
echo "== installing $need (apt-get)"
apt-get update -qq
# shellcheck disable=SC2086 # one word per package
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null
still=$(missing "$@")
if [ -n "$still" ]; then
  echo "system-deps: still missing after apt-get install: $still" >&2
  exit 1
fi

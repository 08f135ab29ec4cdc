#!/usr/bin/env bash
# Browser tests drive Debian's Chromium. Install it when we can (root); otherwise skip those
# tests loudly, except under CI=true, where a missing browser is a failure.
set -euo pipefail
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Chromium for the browser tests (apt-get install chromium)..."
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  [ -x "$CHROMIUM" ] && exit 0
fi
if [ "${CI:-}" = "true" ]; then
  echo "ERROR: Chromium is not installed at $CHROMIUM and could not be installed; browser tests cannot run." >&2
  exit 1
fi
cat >&2 <<MSG
################################################################################
#  WARNING: Chromium is not installed, so the browser and accessibility tests  #
#  will be SKIPPED. Install it with:  sudo apt-get install chromium            #
################################################################################
MSG

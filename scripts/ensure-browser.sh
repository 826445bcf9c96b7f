#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (Playwright's own browser download cannot work
# here). Install it when missing and we may; otherwise the browser tests skip themselves.
set -u
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Chromium installeren voor de browsertests…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
else
  echo "Chromium ontbreekt en kan niet worden geïnstalleerd; de browsertests worden overgeslagen."
fi
exit 0

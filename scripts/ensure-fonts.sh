#!/usr/bin/env bash
# The PDFs (badges, lists, confirmations) print names as people write them, emoji included.
# Their CSS names the vendored Source Sans 3 first, then system fonts that WeasyPrint finds
# through fontconfig: DejaVu Sans for scripts Source Sans lacks, Noto Color Emoji for emoji.
# Install the Debian packages when missing and we may. Under CI=true a font still missing is
# an error (badges would print empty boxes and the font test would fail); elsewhere a warning.
set -u
PACKAGES=(fonts-dejavu-core fonts-noto-color-emoji)
has_fonts() { fc-list 2>/dev/null | grep -q "DejaVu Sans" && fc-list 2>/dev/null | grep -q "Noto Color Emoji"; }
if has_fonts; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Lettertypen voor de PDF's installeren (${PACKAGES[*]})…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${PACKAGES[@]}" >/dev/null
fi
if has_fonts; then exit 0; fi
case "${CI:-}" in
  1 | true | TRUE | True | yes)
    echo "Lettertypen ontbreken (${PACKAGES[*]}) en konden niet worden geïnstalleerd; in CI (CI=true) is dat een fout." >&2
    exit 1
    ;;
esac
echo "Let op: lettertypen ontbreken (${PACKAGES[*]}); emoji in namen worden op badges en lijsten lege vakjes."
exit 0

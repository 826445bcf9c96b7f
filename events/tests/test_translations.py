"""The English translation: complete in the .po, compiled into the committed .mo, shown when chosen.

The .mo is read as it is in git: no gettext tools are needed (or used) at runtime or here.
"""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

CATALOGUE_DIR = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO_PATH = CATALOGUE_DIR / "django.po"
MO_PATH = CATALOGUE_DIR / "django.mo"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def po_entries(path=PO_PATH):
    """Every active entry of a .po as a dict: msgctxt, msgid, msgid_plural, msgstr / msgstr[n], flags."""
    entries, entry, key = [], None, None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if line.startswith("#~"):
            continue  # obsolete: not in the catalogue
        if line.startswith("#,"):
            if entry is not None and "msgid" in entry:
                entries.append(entry)
                entry = None
            entry = entry or {}
            entry.setdefault("flags", set()).update(flag.strip() for flag in line[2:].split(","))
            continue
        if not line or line.startswith("#"):
            continue
        if line.startswith('"'):
            entry[key] += ast.literal_eval(line)
            continue
        keyword, _, value = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and entry is not None and "msgid" in entry:
            entries.append(entry)
            entry = None
        entry = entry if entry is not None else {}
        key = keyword
        entry[key] = ast.literal_eval(value)
    if entry is not None and "msgid" in entry:
        entries.append(entry)
    return entries


def translations(entry):
    if "msgid_plural" in entry:
        return [entry[k] for k in sorted(entry) if k.startswith("msgstr[")]
    return [entry["msgstr"]]


def english_client(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


def test_every_entry_is_translated_and_not_fuzzy():
    entries = po_entries()
    header = [e for e in entries if e["msgid"] == ""]
    assert len(header) == 1 and "Plural-Forms: nplurals=2;" in header[0]["msgstr"]
    messages = [e for e in entries if e["msgid"] != ""]
    assert len(messages) > 300  # the parser really read the catalogue
    untranslated = [e["msgid"] for e in messages if not all(translations(e))]
    assert untranslated == []
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e.get("flags", ())]
    assert fuzzy == []
    plurals = [e for e in messages if "msgid_plural" in e]
    assert plurals and all(len(translations(e)) == 2 for e in plurals)


def test_translations_keep_placeholders_and_surrounding_whitespace():
    for entry in po_entries():
        if entry["msgid"] == "":
            continue
        sources = [entry["msgid"], entry.get("msgid_plural", entry["msgid"])]
        for source, target in zip(sources, translations(entry), strict=False):
            assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(target)), source
            assert source[: len(source) - len(source.lstrip())] == target[: len(target) - len(target.lstrip())]
            assert source[len(source.rstrip()) :] == target[len(target.rstrip()) :], source


def test_compiled_catalogue_is_committed_and_matches_the_po():
    assert MO_PATH.is_file(), "run: manage.py compilemessages -l en, and commit locale/en/LC_MESSAGES/django.mo"
    with MO_PATH.open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    assert catalogue.gettext("Eerdere evenementen") == "Past events"
    assert catalogue.gettext("Zet in mijn agenda") == "Add to my calendar"
    # Sanity: unknown keys fall through. Through a variable, so that makemessages does not
    # extract this lowercase key into the catalogue (where the test below would want it translated).
    unknown = "wachtlijst"
    assert catalogue.gettext(unknown) == unknown
    assert catalogue.ngettext("Nog %(n)s plaats", "Nog %(n)s plaatsen", 1) == "%(n)s place left"
    assert catalogue.ngettext("Nog %(n)s plaats", "Nog %(n)s plaatsen", 5) == "%(n)s places left"
    # A .mo compiled from an older .po would miss or differ in some entries.
    for entry in po_entries():
        if entry["msgid"] == "":
            continue
        context = entry.get("msgctxt")
        if "msgid_plural" in entry:
            got = [
                catalogue.npgettext(context, entry["msgid"], entry["msgid_plural"], n)
                if context
                else catalogue.ngettext(entry["msgid"], entry["msgid_plural"], n)
                for n in (1, 2)
            ]
        else:
            got = [catalogue.pgettext(context, entry["msgid"]) if context else catalogue.gettext(entry["msgid"])]
        assert got == translations(entry), f"stale django.mo for {entry['msgid']!r}: run compilemessages"


def test_catalogue_and_past_events_in_english_when_chosen(client, demo):
    english_client(client)
    html = client.get(reverse("events:catalogue")).content.decode()
    assert '<html lang="en">' in html
    assert "Events on regional cooperation" in html
    assert "Past events" in html
    assert "All organisers" in html
    assert "Eerdere evenementen" not in html

    html = client.get(reverse("events:past")).content.decode()
    assert "<h1>Past events</h1>" in html


def test_event_page_in_english_when_chosen(client, demo):
    english_client(client)
    html = client.get(reverse("events:detail", args=["ambtelijke-dag-van-de-regios-2026"])).content.decode()
    assert "Add to my calendar" in html
    assert "Practical information" in html
    assert "Participation is free of charge" in html
    assert "Zet in mijn agenda" not in html
    assert "De Ambtelijke Dag van de Regio" in html  # event data stays as entered


def test_team_series_page_in_english_when_chosen(client, demo):
    english_client(client)
    html = client.get(reverse("events:series", args=["versterking-lokale-driehoeken-2026"])).content.decode()
    assert "council clerk, mayor and municipal secretary" in html
    assert "full means full" in html


def test_dutch_stays_the_default(client, demo):
    html = client.get(reverse("events:catalogue"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Eerdere evenementen" in html
    assert "Past events" not in html


@pytest.mark.parametrize(
    ("template", "english"),
    [
        ("mails/waitlisted/subject.txt", "You are on the waiting list: Testdag"),
        ("mails/promoted/subject.txt", "There is a place for you: Testdag"),
        ("mails/admitted/subject.txt", "Your driehoek team has been admitted: Testdag"),
    ],
)
def test_mail_subjects_in_english(template, english):
    with translation.override("en"):
        assert render_to_string(template, {"event": {"title": "Testdag"}}).strip() == english

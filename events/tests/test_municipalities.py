"""Tests for the shipped municipality/province data (no database needed)."""

import dataclasses

import pytest

from events import municipalities as m

EXPECTED_PROVINCES = (
    "Drenthe",
    "Flevoland",
    "Fryslân",
    "Gelderland",
    "Groningen",
    "Limburg",
    "Noord-Brabant",
    "Noord-Holland",
    "Overijssel",
    "Utrecht",
    "Zeeland",
    "Zuid-Holland",
)


def test_provinces():
    assert m.PROVINCES == EXPECTED_PROVINCES


def test_count_on_1_january_2026():
    assert len(m.municipalities()) == 342


def test_every_province_is_known_and_used():
    provinces = {muni.province for muni in m.municipalities()}
    assert provinces == set(EXPECTED_PROVINCES)


def test_no_duplicates():
    names = m.municipality_names()
    assert len(set(names)) == len(names)
    assert len({name.casefold() for name in names}) == len(names)


def test_names_are_clean():
    for name in m.municipality_names():
        assert name == name.strip()
        assert "\t" not in name


def test_file_is_sorted():
    names = m.municipality_names()
    assert list(names) == sorted(names, key=m.sort_key)


def test_known_names_present():
    names = set(m.municipality_names())
    for name in (
        "Nijmegen",
        "Súdwest-Fryslân",
        "'s-Hertogenbosch",
        "'s-Gravenhage",
        "Bronckhorst",
        "Zutphen",
        "Bergen (L.)",
        "Bergen (NH.)",
    ):
        assert name in names


def test_province_of_some_municipalities():
    by_name = {muni.name: muni.province for muni in m.municipalities()}
    assert by_name["Nijmegen"] == "Gelderland"
    assert by_name["Súdwest-Fryslân"] == "Fryslân"
    assert by_name["'s-Hertogenbosch"] == "Noord-Brabant"
    assert by_name["Vijfheerenlanden"] == "Utrecht"
    assert by_name["Bergen (L.)"] == "Limburg"
    assert by_name["Bergen (NH.)"] == "Noord-Holland"


def test_is_municipality():
    assert m.is_municipality("  nijmegen ")
    assert m.is_municipality("SÚDWEST-FRYSLÂN")
    assert m.is_municipality("'s-hertogenbosch")
    assert not m.is_municipality("Atlantis")
    assert not m.is_municipality("")


def test_municipality_is_frozen():
    muni = m.municipalities()[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        muni.name = "x"  # type: ignore[misc]


def test_organisation_suggestions():
    suggestions = m.organisation_suggestions()
    assert len(suggestions) == 342 + 12
    assert len(set(suggestions)) == len(suggestions)
    assert "Gemeente Nijmegen" in suggestions
    assert "Gemeente 's-Hertogenbosch" in suggestions
    assert "Provincie Gelderland" in suggestions
    assert "Provincie Fryslân" in suggestions
    # Municipalities first, then provinces, each alphabetical.
    assert suggestions[0] == "Gemeente Aa en Hunze"
    assert suggestions[-1] == "Provincie Zuid-Holland"

"""Dutch municipalities (gemeenten) and provinces, shipped as data.

The lists live in ``data/`` next to this module so that forms can suggest
and validate municipality and organisation names without a network call to
CBS or any other service. ``data/gemeenten.tsv`` follows the CBS municipal
division ("Gemeentelijke indeling") of 1 January 2026: 342 municipalities,
using the CBS names (e.g. "'s-Gravenhage", "Bergen (L.)", "Bergen (NH.)").
When municipalities merge (usually on 1 January), update the TSV file.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
GEMEENTEN_TSV = DATA_DIR / "gemeenten.tsv"
PROVINCIES_TXT = DATA_DIR / "provincies.txt"

_TSV_HEADER = ("gemeente", "provincie")


@dataclass(frozen=True)
class Municipality:
    name: str
    province: str


def sort_key(name: str) -> str:
    """Sort key for Dutch place names.

    Ignores case, diacritics and a leading "'s-", so "'s-Hertogenbosch"
    sorts under H and "Súdwest-Fryslân" next to "Stichtse Vecht".
    """
    decomposed = unicodedata.normalize("NFKD", name.removeprefix("'s-"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _normalise(name: str) -> str:
    return " ".join(name.split()).casefold()


def _read_provinces() -> tuple[str, ...]:
    lines = PROVINCIES_TXT.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip())


PROVINCES: tuple[str, ...] = _read_provinces()


@cache
def municipalities() -> tuple[Municipality, ...]:
    """All municipalities, in the order of the data file (sorted by name)."""
    lines = GEMEENTEN_TSV.read_text(encoding="utf-8").splitlines()
    if not lines or tuple(lines[0].split("\t")) != _TSV_HEADER:
        raise ValueError(f"{GEMEENTEN_TSV}: expected header 'gemeente<TAB>provincie'")
    result = []
    for lineno, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != 2:
            raise ValueError(f"{GEMEENTEN_TSV}:{lineno}: expected 2 tab-separated fields")
        name, province = (field.strip() for field in fields)
        if province not in PROVINCES:
            raise ValueError(f"{GEMEENTEN_TSV}:{lineno}: unknown province {province!r}")
        result.append(Municipality(name=name, province=province))
    return tuple(result)


def municipality_names() -> tuple[str, ...]:
    return tuple(m.name for m in municipalities())


@cache
def _normalised_names() -> frozenset[str]:
    return frozenset(_normalise(name) for name in municipality_names())


def is_municipality(name: str) -> bool:
    """Whether ``name`` is a municipality (case-insensitive, whitespace-trimmed)."""
    return _normalise(name) in _normalised_names()


@cache
def organisation_suggestions() -> tuple[str, ...]:
    """Organisation names: "Gemeente X" per municipality, "Provincie X" per province.

    Sorted: municipalities first, then provinces, each alphabetically.
    """
    entries = [("Gemeente", m.name) for m in municipalities()]
    entries += [("Provincie", p) for p in PROVINCES]
    entries.sort(key=lambda entry: (entry[0], sort_key(entry[1])))
    return tuple(f"{kind} {name}" for kind, name in entries)


@cache
def _names_by_normalised() -> dict[str, str]:
    return {_normalise(name): name for name in municipality_names()}


def canonical_municipality(name: str) -> str | None:
    """The list's spelling of ``name`` ("nijmegen " -> "Nijmegen"), or None if unknown."""
    return _names_by_normalised().get(_normalise(name))

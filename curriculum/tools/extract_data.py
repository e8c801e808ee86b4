"""Write the small offline CSVs of the curriculum units from installed data packages.

Run it by hand when a unit's data should change; the CSVs are committed, so notebooks and
tests never need these packages or a network. Units read
indicators through ``vxkit.data``; only what it does not offer is extracted here:

- ``bokeh_sampledata`` 2026.1, ``population`` (UN World Population Prospects 2024, medium
  variant, CC BY 3.0 IGO): population by age group, 1950-2100 every 5 years.

Usage: ``python curriculum/tools/extract_data.py``
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

CURRICULUM = Path(__file__).resolve().parent.parent

# The partner countries of the demo exchange and of the first exchanges (France, Kenya, Chile,
# Spain), and a spread of countries from every continent to compare with.
COUNTRIES = {
    "ARG": ("Argentina", "Argentina", "Argentina"),
    "BGD": ("Bangladesh", "Bangladesh", "Bangladesh"),
    "BRA": ("Brazil", "Brazil", "Brazil"),
    "CHL": ("Chile", "Chile", "Chile"),
    "CHN": ("China", "China", "China"),
    "DEU": ("Germany", "Germany", "Germany"),
    "ESP": ("Spain", "Spain", "Spain"),
    "FRA": ("France", "France", "France"),
    "GBR": ("United Kingdom", "United Kingdom", "United Kingdom"),
    "IND": ("India", "India", "India"),
    "JPN": ("Japan", "Japan", "Japan"),
    "KEN": ("Kenya", "Kenya", "Kenya"),
    "MAR": ("Morocco", "Morocco", "Morocco"),
    "MEX": ("Mexico", "Mexico", "Mexico"),
    "NGA": ("Nigeria", "Nigeria", "Nigeria"),
    "SEN": ("Senegal", "Senegal", "Senegal"),
    "USA": ("United States", "United States", "United States of America"),
    "ZAF": ("South Africa", "South Africa", "South Africa"),
}


def _write(df: pd.DataFrame, unit: str, name: str) -> None:
    target = CURRICULUM / unit / "data" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(target, index=False, lineterminator="\n")
    print(f"{target.relative_to(CURRICULUM)}: {len(df)} rows")


def population() -> None:
    from bokeh_sampledata.population import data

    names = {un: iso3 for iso3, (_, _, un) in COUNTRIES.items()}
    names["World"] = "WLD"
    df = data[data["Location"].isin(names)].copy()
    df["iso3"] = df["Location"].map(names)
    df["age_group"] = pd.cut(
        df["AgeGrpStart"], [-1, 14, 64, 200], labels=["0-14", "15-64", "65+"]
    ).astype(str)
    out = df.groupby(["iso3", "Year", "age_group"], as_index=False)["Value"].sum()
    out["country"] = out["iso3"].map(lambda c: "World" if c == "WLD" else COUNTRIES[c][0])
    out = out.rename(columns={"Year": "year", "Value": "people"})
    out["people"] = out["people"].round(0).astype(int)
    out = out[["iso3", "country", "year", "age_group", "people"]]
    _write(
        out.sort_values(["iso3", "year", "age_group"]),
        "population_futures",
        "population_by_age.csv",
    )


if __name__ == "__main__":
    population()

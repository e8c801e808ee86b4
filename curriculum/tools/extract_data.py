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
# Spain), and a spread of countries from every continent to compare with: ISO alpha-3 code ->
# (English name, the name in the UN table).
COUNTRIES = {
    "ARG": ("Argentina", "Argentina"),
    "BGD": ("Bangladesh", "Bangladesh"),
    "BRA": ("Brazil", "Brazil"),
    "CHL": ("Chile", "Chile"),
    "CHN": ("China", "China"),
    "DEU": ("Germany", "Germany"),
    "ESP": ("Spain", "Spain"),
    "FRA": ("France", "France"),
    "GBR": ("United Kingdom", "United Kingdom"),
    "IND": ("India", "India"),
    "JPN": ("Japan", "Japan"),
    "KEN": ("Kenya", "Kenya"),
    "MAR": ("Morocco", "Morocco"),
    "MEX": ("Mexico", "Mexico"),
    "NGA": ("Nigeria", "Nigeria"),
    "SEN": ("Senegal", "Senegal"),
    "USA": ("United States", "United States of America"),
    "ZAF": ("South Africa", "South Africa"),
}
POPULATION_CSV = "population_futures/data/population_by_age.csv"


def population_by_age() -> str:
    """The CSV text of population by broad age group (0-14, 15-64, 65+) and year."""
    from bokeh_sampledata.population import data

    names = {un: iso3 for iso3, (_, un) in COUNTRIES.items()}
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
    return out.sort_values(["iso3", "year", "age_group"]).to_csv(index=False, lineterminator="\n")


def main() -> None:
    """Write every extracted CSV."""
    target = CURRICULUM / POPULATION_CSV
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(population_by_age(), encoding="utf-8")
    print(f"wrote curriculum/{POPULATION_CSV}")


if __name__ == "__main__":
    main()

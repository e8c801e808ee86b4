"""IndicatorExplorer: time per change (chart and table updated), next to the stock way, in one run.

A "change" is what one click in the browser does: a new indicator, a new set of countries
or a new year range, set on the picker widget, and everything the explorer redraws. The
stock way is what a notebook would do with ipywidgets alone: an ``interactive`` callback
that filters the frame, draws a matplotlib chart (rendered to SVG, as the notebook does
when it sends the figure) and the table with ``DataFrame.to_html``.
Target: our median at most 50 ms.

    .venv/bin/python bench/widgets.py [--changes 60]
"""

from __future__ import annotations

import argparse
import io
import itertools
import statistics
import time
from collections.abc import Callable

from vxkit import data
from vxkit.widgets import IndicatorExplorer

INDICATORS = ["life_expectancy", "co2_per_person", "gdp_per_capita", "fertility"]
COUNTRY_SETS = [("FRA", "KEN", "CHL"), ("DEU", "JPN"), ("BRA", "IND", "NGA", "USA"), ("FRA",)]
YEAR_RANGES = {
    "life_expectancy": [(1964, 2013), (1990, 2010)],
    "co2_per_person": [(1950, 2012), (1980, 2000)],
    "gdp_per_capita": [(1952, 2007), (1972, 2002)],
    "fertility": [(1964, 2013), (2000, 2013)],
}


def changes(count: int) -> list[tuple[str, object]]:
    """A fixed, mixed sequence of picker changes."""
    out: list[tuple[str, object]] = []
    for i, indicator in zip(range(count), itertools.cycle(INDICATORS), strict=False):
        kind = i % 3
        if kind == 0:
            out.append(("indicator", indicator))
        elif kind == 1:
            out.append(("countries", COUNTRY_SETS[i % len(COUNTRY_SETS)]))
        else:
            out.append(("years", None))
    return out


def ours(sequence: list[tuple[str, object]]) -> list[float]:
    explorer = IndicatorExplorer(countries=["FRA", "KEN", "CHL"])
    times = []
    for kind, value in sequence:
        start = time.perf_counter()
        if kind == "indicator":
            explorer.indicator_picker.value = value
        elif kind == "countries":
            explorer.country_picker.value = tuple(value)
        else:
            ranges = YEAR_RANGES[explorer.indicator]
            current = tuple(explorer.year_picker.value)
            explorer.year_picker.value = ranges[1] if current == ranges[0] else ranges[0]
        times.append(time.perf_counter() - start)
        assert explorer.chart.value and explorer.table.value
    return times


def stock(sequence: list[tuple[str, object]]) -> list[float] | None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    state = {"indicator": "life_expectancy", "countries": ("FRA", "KEN", "CHL"), "years": None}
    frames = {i: data.indicator(i) for i in INDICATORS}

    def redraw() -> tuple[str, str]:
        frame = frames[state["indicator"]]
        years = state["years"] or (frame["year"].min(), frame["year"].max())
        rows = frame[frame["iso3"].isin(state["countries"]) & frame["year"].between(*years)]
        fig, ax = plt.subplots(figsize=(6.4, 3.2))
        for name, group in rows.groupby("country"):
            ax.plot(group["year"], group["value"], label=name)
        ax.legend()
        ax.set_title(state["indicator"])
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg")
        plt.close(fig)
        table = rows.pivot(index="year", columns="country", values="value").to_html()
        return buffer.getvalue(), table

    times = []
    for kind, value in sequence:
        start = time.perf_counter()
        if kind == "indicator":
            state["indicator"], state["years"] = value, None
        elif kind == "countries":
            state["countries"] = value
        else:
            ranges = YEAR_RANGES[state["indicator"]]
            state["years"] = ranges[1] if state["years"] == ranges[0] else ranges[0]
        redraw()
        times.append(time.perf_counter() - start)
    return times


def summary(name: str, times: list[float]) -> str:
    ms = sorted(t * 1000 for t in times)
    p90 = ms[int(len(ms) * 0.9) - 1]
    return f"{name:24}{statistics.median(ms):>10.1f}{p90:>10.1f}{ms[-1]:>10.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=60)
    args = parser.parse_args()
    sequence = changes(args.changes)
    for name in INDICATORS:  # load every data set once first, as a warm notebook has
        data.indicator(name)
    warm: Callable[[list[tuple[str, object]]], object]
    for warm in (ours, stock):
        warm(sequence[:6])
    our_times = ours(sequence)
    stock_times = stock(sequence)
    print(f"{args.changes} changes (indicator, countries, years in turn), milliseconds per change")
    print(f"{'':24}{'median':>10}{'p90':>10}{'max':>10}")
    print(summary("vxkit IndicatorExplorer", our_times))
    if stock_times is None:
        print("stock (matplotlib): matplotlib is not installed, no comparison")
        return
    print(summary("stock interact+matplotlib", stock_times))
    ratio = statistics.median(our_times) / statistics.median(stock_times)
    print(f"ratio of medians (vxkit / stock): {ratio:.3f}")
    verdict = "met" if statistics.median(our_times) * 1000 <= 50 else "MISSED"
    print(f"target median <= 50 ms: {verdict}")


if __name__ == "__main__":
    main()

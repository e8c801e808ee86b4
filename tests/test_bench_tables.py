"""The summary tables the benchmarks print: rounded numbers in columns that never run together."""

from __future__ import annotations

from bench.rtc_load import summary_table


def test_rtc_load_summary_rounds_and_aligns_every_column():
    results = {
        # a float sum as the load produced it, and a lost-edits count that once ran into it
        "stock": {"p50_ms": 12.34, "p99_ms": 150.0, "lost": 0, "server_cpu_s": 1.8050000000000002},
        "vxkit": {"p50_ms": 9.5, "p99_ms": 1234.56, "lost": 12, "server_cpu_s": 10.5},
    }
    assert summary_table(results, 5) == [
        "median of 5 rounds  p50 ms  p99 ms  lost  cpu s",
        "stock                 12.3   150.0     0   1.81",
        "vxkit                  9.5  1234.6    12  10.50",
    ]


def test_rtc_load_summary_shows_a_missing_figure_as_a_dash():
    results = {
        "stock": {"p50_ms": None, "p99_ms": None, "lost": 300, "server_cpu_s": 0.5},
        "vxkit": {"p50_ms": 1.0, "p99_ms": 2.0, "lost": 0, "server_cpu_s": 0.25},
    }
    stock = summary_table(results, 1)[1].split()
    assert stock == ["stock", "-", "-", "300", "0.50"]

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


def test_capacity_summary_puts_both_sides_in_columns_with_dashes_for_the_missing():
    from bench.classroom_capacity import memory_ratio, parse_args
    from bench.classroom_capacity import summary_table as capacity_table

    results = {
        "students": 60,
        "vxkit": {
            "p50_ms": 12.345,
            "p99_ms": 140.0,
            "lost": 0,
            "server_cpu_percent": 35.26,
            "memory_total_mb": 3912.4,
            "memory_per_student_mb": 65.2066,
            "memory_per_student_pss_mb": 50.0,
            "kernel_wait_median_s": 2.5,
        },
        "stock": {
            "memory_for_class_mb": 14600.0,
            "memory_per_student_mb": 243.3,
            "memory_per_student_pss_mb": 205.44,
            "kernel_wait_median_s": 0.23,
            "start_per_student_s": 15.873,
        },
    }
    lines = capacity_table(results)
    assert lines[0].split() == ["60", "students", "vxkit", "stock", "hub"]
    rows = {line[:30].strip(): line[30:].split() for line in lines[1:]}
    assert rows["edit latency p99 (ms)"] == ["140.0", "-"]
    assert rows["lost edits"] == ["0", "-"]
    assert rows["memory per student (MB)"] == ["65.2", "243.3"]
    assert rows["server start per student (s)"] == ["-", "15.87"]
    assert len({len(line) for line in lines}) == 1  # every row as wide: columns line up
    assert round(memory_ratio(results), 3) == 0.268
    quick = parse_args(["--quick"])
    assert (quick.per_class, quick.teams, quick.stock_servers) == (4, 2, 2)
    assert parse_args([]).per_class * 2 == 60 and parse_args([]).teams == 10

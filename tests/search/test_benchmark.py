"""The benchmark command runs end to end on a small size (its figures are for `make benchmark`)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from practices.management.commands.benchmark_search import SCENARIOS


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the benchmark's database is PostgreSQL's"
)
def test_benchmark_reports_every_scenario_with_its_query_count(transactional_db):
    out = io.StringIO()
    call_command("benchmark_search", sizes="40", repeat=3, stdout=out, stderr=io.StringIO())
    rows = {line[12:44].strip(): line[44:].split() for line in out.getvalue().splitlines()[1:]}
    assert set(rows) == {
        "fixed work: Python | SQL",
        "facet index load",
        "practice save",
        *(name.strip() for name in SCENARIOS),
    }
    for name in SCENARIOS:
        median, p95, queries = rows[name.strip()]
        assert 0 < float(median) <= float(p95)
        assert 3 <= int(queries) <= (5 if "phrase" in name else 4)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the benchmark's database is PostgreSQL's"
)
def test_a_kept_database_larger_than_a_size_skips_that_size_rather_than_mislabel_it(
    transactional_db,
):
    def benchmark(sizes, *, keepdb):
        out, err = io.StringIO(), io.StringIO()
        call_command(
            "benchmark_search", sizes=sizes, repeat=1, keepdb=keepdb, stdout=out, stderr=err
        )
        reported = {line.split()[0] for line in out.getvalue().splitlines()[1:]}
        return reported, err.getvalue()

    try:
        assert benchmark("40", keepdb=True)[0] == {"40"}
        reported, notes = benchmark("30,45", keepdb=True)
        assert reported == {"45"}
        assert "30 skipped: the database holds 40 practices" in notes
    finally:
        benchmark("25", keepdb=False)  # starts afresh and drops the database at the end

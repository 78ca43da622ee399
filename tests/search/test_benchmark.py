"""The benchmark command runs end to end on a tiny size (its figures are for `make benchmark`)."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection

from search.management.commands.benchmark_search import NAME_WIDTH, REFERENCE, SCENARIOS

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the benchmark's database is PostgreSQL's"
)


def benchmark(sizes, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "benchmark_search", sizes=sizes, repeat=2, saves=2, stdout=out, stderr=err, **options
    )
    return out.getvalue(), err.getvalue()


def rows_of(output):
    """The table's rows: (size, scenario) to the figures after the scenario's column."""
    rows = {}
    for line in output.splitlines():
        size = line[:7].strip()
        if size.isdigit():
            rows[size, line[9 : 9 + NAME_WIDTH].strip()] = line[9 + NAME_WIDTH :].split()
    return rows


def test_benchmark_reports_every_scenario_cold_and_warm_with_query_counts(
    transactional_db, tmp_path
):
    figures_path = tmp_path / "figures.json"
    output, _notes = benchmark("30", json_path=figures_path)
    rows = rows_of(output)
    assert "cold p50" in output and "warm p50" in output and "session p50" in output
    for name in [REFERENCE[0], *SCENARIOS]:
        columns = rows["30", name]
        states = [columns[start : start + 5] for start in (0, 5, 10)]  # cold, warm, session
        for median, p95, queries, _ratio, rate in states:
            assert 0 < float(median) <= float(p95)
            assert float(rate) > 0
            if name != REFERENCE[0]:
                # A count per timed request: one figure when every request made the same queries.
                assert int(queries.split("/")[0]) >= 1
    # Cached results: a warm search asks the database less than a cold one.
    cold_queries, warm_queries = (
        rows["30", "broad word search"][2],
        rows["30", "broad word search"][7],
    )
    assert int(warm_queries.split("/")[-1]) < int(cold_queries.split("/")[0])
    assert float(rows["30", "practice save"][0]) > 0
    assert "barrier rename (" in output and "practice_documents_refresh" in output

    figures = json.loads(figures_path.read_text())
    page = figures["sizes"]["30"]["pages"]["broad word search"]
    assert page["cold"]["p50_ms"] > 0 and page["warm"]["queries"]
    assert figures["sizes"]["30"]["rename"]["refresh_changed"] >= 1

    out = io.StringIO()
    call_command("benchmark_search", compare=[figures_path, figures_path], stdout=out)
    assert "broad word search" in out.getvalue() and "1.00" in out.getvalue()


def test_a_kept_database_larger_than_a_size_skips_that_size_rather_than_mislabel_it(
    transactional_db,
):
    try:
        assert {size for size, _ in rows_of(benchmark("30", keepdb=True)[0])} == {"30"}
        output, notes = benchmark("25,35", keepdb=True)
        assert {size for size, _ in rows_of(output)} == {"35"}
        assert "25 skipped: the database holds 30 practices" in notes
    finally:
        # Drop the kept database directly: a run without --keepdb would do it too, but it would
        # first build the database again. Named as Django names a test database of this one.
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "test_{connection.settings_dict["NAME"]}"')

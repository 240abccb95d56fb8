"""Survey exports (Qualtrics, Medallia) -> dated KPI values."""

from __future__ import annotations

from decimal import Decimal

import pytest

from journeykg.loaders.recipe import RecipeError, load_recipe, parse_recipe
from journeykg.loaders.sources import SourceError
from journeykg.loaders.sources.survey import SurveyMetric, kpi_value
from journeykg.loaders.sync_recipes import recipe_with_encoding
from tests.loaders.sources_helpers import (
    FIXTURES,
    Run,
    assert_no_personal_data,
    pii_values,
    run,
    run_recipe,
)

SV = FIXTURES / "survey"


def kpi_values(result: Run) -> dict[str, tuple[Decimal, int]]:
    return {
        k: (result.values(k)["jkg:value"], result.values(k)["jkg:responses"]) for k in result.by_id
    }


def test_qualtrics_export_gives_nps_ces_and_csat_per_kpi_and_month() -> None:
    result = run_recipe(SV / "recipe.yaml")
    assert kpi_values(result) == {
        # 10, 9, 3 (app) and 7, 0 (phone) pooled: 2 promoters, 2 detractors of 5
        "kpi/verhuizen-nps|2026-03": (Decimal("0"), 5),
        "kpi/verhuizen-ces|2026-03": (Decimal("4.33"), 3),  # (6 + 5 + 2) / 3
        "kpi/installatie-glasvezel-nps|2026-03": (Decimal("66.67"), 3),  # 10, 8, 9
        "kpi/installatie-glasvezel-csat|2026-03": (Decimal("66.67"), 3),  # 5, 4, 2: top-2-box
        # recorded 1 April 00:15 in Amsterdam: April
        "kpi/verhuizen-nps|2026-04": (Decimal("50"), 2),  # 9, 8
        "kpi/verhuizen-ces|2026-04": (Decimal("7"), 1),
    }
    assert result.read == 14
    assert result.unmapped == {
        "Touchpoint='winkel-advies'": 1,
        "Finished='False' (excluded by recipe)": 1,
    }
    assert {(p.line, p.property, p.rule) for p in result.rejected} == {
        (14, "Q1", "score is a whole number from 0 to 10"),
        (15, "ResponseId", "each response once"),
    }
    assert result.bookmark == "2026-04-03T07:45:00.000Z"  # 09:45 in Amsterdam


def test_a_kpi_value_is_dated_and_points_at_its_kpi() -> None:
    result = run_recipe(SV / "recipe.yaml")
    v = result.values("kpi/verhuizen-nps|2026-04")
    assert v["jkg:valueOf"] == "kpi/verhuizen-nps"
    assert (v["jkg:period"], v["jkg:periodStart"], v["jkg:periodEnd"]) == (
        "2026",
        "2026-04-01",
        "2026-04-30",
    )


def test_medallia_export_with_semicolons_and_day_first_dates() -> None:
    result = run_recipe(SV / "recipe-medallia.yaml")
    assert kpi_values(result) == {
        "kpi/overstappen-nps|2026-02": (Decimal("25"), 4),  # 9, 10, 5, 8
        "kpi/overstappen-ces|2026-02": (Decimal("3.67"), 3),  # 5, 4, 2
    }
    ((line, column, value),) = {(p.line, p.property, p.value) for p in result.rejected}
    assert (line, column, value) == (6, "Effort Score (1-5)", "abc")


def test_incremental_survey_read_recomputes_touched_months_only() -> None:
    result = run_recipe(SV / "recipe-medallia.yaml", "2026-02-25T00:00:00Z")
    assert result.records == []  # the response of 28 Feb was refused, nothing newer
    result = run_recipe(SV / "recipe-medallia.yaml", "2026-02-15T00:00:00Z")
    assert kpi_values(result)["kpi/overstappen-nps|2026-02"] == (Decimal("25"), 4)


@pytest.mark.parametrize("recipe", ["recipe.yaml", "recipe-medallia.yaml"])
def test_no_respondent_data_reaches_the_graph(recipe: str) -> None:
    result = run_recipe(SV / recipe)
    assert_no_personal_data(result.graph, pii_values(SV))


def test_nps_is_promoters_minus_detractors() -> None:
    nps = SurveyMetric(column="q", method="nps")
    assert kpi_value(nps, [10, 10, 9, 8, 7, 6, 0]) == Decimal(100 * (3 - 2)) / 7
    assert kpi_value(nps, [0, 0]) == -100
    box = SurveyMetric(column="q", method="top-box", scale=(1, 5))
    assert kpi_value(box, [5, 4, 5, 1]) == 50


def test_a_missing_column_is_refused_naming_it() -> None:
    recipe = load_recipe(SV / "recipe.yaml")
    with pytest.raises(SourceError) as raised:
        run(recipe, payload=b"RecordedDate,Q1\n2026-03-01 10:00:00,9\n")
    columns = {p.property for p in raised.value.problems}
    assert columns == {"Q2", "Q3", "Touchpoint", "ResponseId", "Finished"}
    assert all(p.line == 1 for p in raised.value.problems)


def test_one_kpi_fed_two_ways_is_refused() -> None:
    text = """
name: s
kind: survey
survey:
  date_column: d
  metrics: {a: {column: x, method: nps}, b: {column: y, method: mean}}
  kpis: {t: {a: kpi/k, b: kpi/k}}
"""
    with pytest.raises(RecipeError, match="computed one way"):
        parse_recipe(text)


def test_an_export_in_another_encoding_names_its_line_and_the_encoding_option() -> None:
    # Medallia's CSV download in cp1252, as Excel on Windows saves it.
    recipe = load_recipe(SV / "recipe-medallia.yaml")
    text = (SV / "medallia-overstappen.csv").read_text(encoding="utf-8")
    text = text.replace("Groet, Lisa de Graaf", "Één klik, Lisa de Graaf", 1)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if not row.isascii())
    with pytest.raises(SourceError) as raised:
        run(recipe, payload=text.encode("cp1252"))
    (problem,) = raised.value.problems
    assert problem.line == line
    assert "name it with --encoding (e.g. --encoding latin-1 or cp1252)" in problem.message
    # --encoding sets the survey section's own encoding for the run
    assert run(recipe_with_encoding(recipe, "cp1252"), payload=text.encode("cp1252")).read > 0

"""Units whose graded notebook comes in several languages count the best variant."""

from __future__ import annotations

from vxkit.grading.workflow import variant_total


def test_language_variants_count_once():
    assert variant_total({"individual": 0, "individual.es": 8}) == 8
    assert variant_total({"individual": 14, "individual.fr": 14}) == 14
    assert variant_total({"individual": 3, "individual.pt-BR": 5}) == 5


def test_different_notebooks_still_add_up():
    assert variant_total({"part1": 2, "part2": 3, "part2.fr": 1}) == 5
    assert variant_total({"individual": None, "individual.es": None}) == 0

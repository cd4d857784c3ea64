"""Checks on each reporting person, kept with the row as warnings with stable codes."""

from __future__ import annotations

from typing import Any

from extractors.checks import CHECK_CODES, PERSON_WARNINGS, check_persons, failed_checks


def _person(**kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name": "Example Partners, L.P.", "citizenship": "Delaware", "sole_voting_power": 0,
        "shared_voting_power": 1000, "sole_dispositive_power": 0, "shared_dispositive_power": 1000,
        "aggregate_amount": 1000, "percent_of_class": 5.0, "cusip": "037833100", "warnings": [],
    }
    base.update(kw)
    return base


def test_a_consistent_person_passes_every_check() -> None:
    people = [_person(), _person(name="Example GP, LLC")]
    check_persons(people)
    assert [failed_checks(p) for p in people] == [[], []]
    assert people[0]["citizenship_code"] == "DE"


def test_each_check_has_its_stable_code() -> None:
    cases = {
        "citizenship_unrecognized": _person(citizenship="Delaware 7"),
        "percent_out_of_range": _person(percent_of_class=112.0),
        "aggregate_below_dispositive": _person(aggregate_amount=900, percent_of_class=4.5),
        "aggregate_below_voting": _person(sole_voting_power=1200, aggregate_amount=1100, shared_dispositive_power=1100,
                                          shared_voting_power=0, percent_of_class=5.5),
        "name_label_words": _person(name="Jane Roe Social Security Number"),
        "name_missing": _person(name=None),
        "aggregate_missing": _person(aggregate_amount=None),
        "percent_zero_with_shares": _person(percent_of_class=0.0),
    }
    for code, p in cases.items():
        check_persons([p])
        assert code in failed_checks(p), (code, p["warnings"])
        assert code in CHECK_CODES and PERSON_WARNINGS[code].meaning


def test_a_percent_that_disagrees_with_the_class_the_others_imply() -> None:
    # 1,000 shares = 5.0% -> a class of 20,000; 2,000 shares cannot be 25%.
    people = [_person(), _person(name="B", aggregate_amount=500, shared_voting_power=500,
                                 shared_dispositive_power=500, percent_of_class=2.5),
              _person(name="C", aggregate_amount=2000, shared_voting_power=2000,
                      shared_dispositive_power=2000, percent_of_class=25.0)]
    check_persons(people)
    assert [("percent_class_mismatch" in failed_checks(p)) for p in people] == [False, False, True]


def test_rounding_and_other_classes_are_no_mismatch() -> None:
    # 9.9% printed for 9.94%, a person of another class, and a holder of 0.1%.
    people = [_person(aggregate_amount=1988, shared_voting_power=1988, shared_dispositive_power=1988,
                      percent_of_class=9.9),
              _person(name="B", aggregate_amount=1000, percent_of_class=5.0),
              _person(name="C", aggregate_amount=30, shared_voting_power=30, shared_dispositive_power=30,
                      percent_of_class=0.1),
              _person(name="D", cusip="594918104", aggregate_amount=1000, percent_of_class=50.0)]
    check_persons(people)
    assert [failed_checks(p) for p in people] == [[], [], [], []]


def test_checks_do_not_repeat_a_code_the_reader_already_gave() -> None:
    p = _person(name=None, warnings=["name_missing: row 1 printed no name"])
    check_persons([p])
    assert p["warnings"] == ["name_missing: row 1 printed no name"]

"""stats' HTTP API on the hand-made event log of conftest.py: figures, scope, open data, reports, approvals."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select
from stats.adapters.orm import outbox
from stats.adapters.projections import ProjectionStore
from stats.bootstrap import Container


def test_indicators_of_an_aimag_with_lineage(client: TestClient, tokens: Any) -> None:
    response = client.get("/api/stats/v1/indicators?area_id=A65&year=2023", headers=tokens.headers("ministry"))
    assert response.status_code == 200, response.text
    figures = {(f["indicator"], f["dims"].get("level"), f["dims"].get("sex")): f for f in response.json()["figures"]}
    # primary pupils of A65 on 2023-10-01: 12 + 3 (age 6, grade 1) + 8 (age 7, grade 2) = 23; population 6–10 = 100
    assert figures[("ger", "primary", None)]["value"] == 23.0
    assert figures[("ner", "primary", None)]["value"] == 23.0
    # girls: 7 in K1 + 1 in K2 (odd index) + 4 in K3 = 12 of 50
    assert figures[("ger", "primary", "female")]["value"] == 24.0
    lineage = figures[("ger", "primary", None)]["lineage"]
    assert lineage["rule_version"] == "uis-2019" and lineage["census_date"] == "2023-10-01"
    assert {o["topic"] for o in lineage["event_offsets"]} >= {"education.enrolments.v1", "education.org.v1"}
    again = client.get("/api/stats/v1/indicators?area_id=A65&year=2023", headers=tokens.headers("ministry"))
    assert again.json() == response.json()


def test_flows_keep_the_transfer_apart_from_dropout(client: TestClient, tokens: Any) -> None:
    response = client.get("/api/stats/v1/flows?area_id=S1&year=2023", headers=tokens.headers("ministry"))
    grade1 = {k: v["value"] for k, v in response.json()["grades"]["1"].items()}
    # S1 grade 1 in 2023: 15. In 2024 in S1: 12 in grade 2 (9 + 3), 1 repeater; 1 continues in S2, 1 withdrew.
    assert grade1["promotion_rate"] == 80.0  # (12 − 0) / 15
    assert grade1["repetition_rate"] == 6.666667  # 1 / 15
    assert grade1["dropout_rate"] == 13.333333  # UIS counts the transfer as a dropout …
    assert grade1["actual_transferred_out_rate"] == 6.666667  # … the records know it was a transfer
    assert grade1["actual_dropped_out_rate"] == 6.666667


def test_an_officer_sees_only_their_own_area(client: TestClient, tokens: Any) -> None:
    officer = tokens.headers("aimag_officer", "A65")
    assert client.get("/api/stats/v1/indicators?area_id=S1&year=2023", headers=officer).status_code == 200
    refused = client.get("/api/stats/v1/indicators?area_id=A83&year=2023", headers=officer)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert client.get("/api/stats/v1/indicators?area_id=A65&year=2023").status_code == 401


def test_enrolment_as_of_a_day_by_grade_sex_and_age(client: TestClient, tokens: Any) -> None:
    response = client.get("/api/stats/v1/enrolment?area_id=S1&as_of=2024-10-01&level=school",
                          headers=tokens.headers("district_officer", "S1"))
    rows = {(r["area_id"], r["grade"], r["sex"], r["age"]): r["learners"] for r in response.json()["rows"]}
    assert rows[("K1", "1", "male", 7)] == 1  # the repeater, a year older
    assert sum(v for (school, grade, _, _), v in rows.items() if school == "K1" and grade == "2") == 9


def test_attendance_rate_and_chronic_absence(client: TestClient, tokens: Any) -> None:
    response = client.get("/api/stats/v1/attendance?area_id=K1&first=2023-10-01&last=2023-10-31",
                          headers=tokens.headers("school_admin", "K1"))
    figures = {f["indicator"]: f for f in response.json()["figures"]}
    # 12 learners × 10 days = 120 marked; one learner missed 2 days -> 118/120; 2/10 ≥ 10 %: 1 of 12 chronic
    assert figures["attendance_rate"]["value"] == 98.333333
    assert (figures["chronic_absence_rate"]["numerator"], figures["chronic_absence_rate"]["denominator"]) == (1, 12)


def test_open_data_suppresses_small_counts_without_sign_in(client: TestClient) -> None:
    response = client.get("/api/stats/v1/open/enrolment.json?area_id=S1&year=2023")
    assert response.status_code == 200
    rows = {r["area_id"]: r for r in response.json()["rows"]}
    assert rows["K2"]["grade_1"] is None and rows["K2"]["total"] is None  # 3 learners
    assert rows["K1"]["grade_1"] is None  # or K2's 3 = 15 − 12 would follow from the total
    assert rows["total"]["grade_1"] == 15
    assert "lrn-" not in response.text and "stf-" not in response.text


def test_open_data_csv_and_dictionary(client: TestClient) -> None:
    csv_text = client.get("/api/stats/v1/open/enrolment.csv?area_id=A65&year=2023").content.decode("utf-8-sig")
    header, *rows = csv_text.strip().splitlines()
    assert header.startswith("area_id,area_name,grade_1")
    assert rows[-1].startswith("total,total,15,8,")  # 15 first-graders in S1, 8 second-graders in S2
    fields = client.get("/api/stats/v1/open/dictionary.json").json()["fields"]
    assert "suppressed" in fields and fields["suppressed"]["mn"]


def test_open_data_refuses_a_single_school(client: TestClient) -> None:
    assert client.get("/api/stats/v1/open/enrolment.json?area_id=K1&year=2023").status_code == 403


def test_reports_in_three_formats(client: TestClient, tokens: Any) -> None:
    headers = tokens.headers("ministry")
    xlsx = client.get("/api/stats/v1/reports/enrolment.xlsx?area_id=A65&year=2023", headers=headers)
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[1]][:3] == ["area", "1", "2"]
    assert [c.value for c in sheet[4]][:3] == ["total", 15, 8]
    pdf = client.get("/api/stats/v1/reports/enrolment.pdf?area_id=A65&year=2023", headers=headers)
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    csv = client.get("/api/stats/v1/reports/indicators.csv?area_id=A65&year=2023", headers=headers)
    assert "ger" in csv.text and "uis-2019" in csv.text


def test_approval_goes_up_the_levels_and_publishes_events(client: TestClient, tokens: Any,
                                                         container: Container) -> None:
    base = "/api/stats/v1/approvals/2023-2024"
    k1 = tokens.headers("school_admin", "K1")
    submitted = client.post(f"{base}/K1/submit", headers=k1).json()
    assert submitted["figures"]["enrolled.1.female"] == 7
    assert client.post(f"{base}/K1/approve", headers=k1).json()["status"] == "approved"
    soum = tokens.headers("district_officer", "S1")
    refused = client.post(f"{base}/S1/approve", headers=soum)
    assert refused.status_code == 409 and refused.json()["error"]["details"]["pending"] == ["K2"]
    assert client.post(f"{base}/K2/submit", headers=k1).status_code == 403  # another school's admin
    locked = client.post(f"{base}/K1/submit", headers=k1)
    assert locked.status_code == 409 and locked.json()["error"]["code"] == "figures_locked"
    with container.engine.connect() as conn:
        rows = conn.execute(select(outbox.c.event_type, outbox.c.aimag).order_by(outbox.c.seq)).all()
    assert [tuple(r) for r in rows] == [("esis.stats.v1.FiguresSubmitted", "65"), ("esis.stats.v1.FiguresApproved",
                                                                                    "65")]


def test_metrics_show_lag_and_throughput(client: TestClient) -> None:
    text = client.get("/metrics").text
    assert 'stats_events_projected_total{topic="education.enrolments.v1"}' in text
    assert "stats_event_lag_seconds_bucket" in text


def test_aggregates_of_a_school_year(client: TestClient, tokens: Any) -> None:
    found = client.get("/api/stats/v1/aggregates?area_id=K1&year=2023", headers=tokens.headers("ministry")).json()
    occupancy = {c["class_id"]: (c["learners"], c["capacity"]) for c in found["class_occupancy"]}
    assert occupancy == {"c-K1-1-2023": (12, 30), "c-K1-1b-2023": (0, 30)}
    assert found["withdrawals_by_reason"] == {"family": 1}
    assert found["teachers"] == {"by_rank": {"none": 1}, "by_subject": {"math": 1}}
    # the parallel class 1Б was never marked on the 10 days class 1А was: 10 of 20 class-days unmarked
    assert found["unmarked_attendance"]["value"] == 50.0


def test_aggregates_show_a_newly_projected_withdrawal_at_once(client: TestClient, tokens: Any,
                                                              container: Container) -> None:
    """The aggregates are kept between requests only while no event arrives: the next one shows up at once."""
    def withdrawals() -> dict[str, int]:
        url = "/api/stats/v1/aggregates?area_id=K1&year=2023"
        return client.get(url, headers=tokens.headers("ministry")).json()["withdrawals_by_reason"]

    assert withdrawals() == withdrawals() == {"family": 1}
    with container.transaction() as session:
        store = ProjectionStore(session)
        store.withdraw("lrn-K1-05", "K1", "health", date(2024, 2, 1))
        store.record_offset("education.enrolments.v1", 0, 10_000)
    assert withdrawals() == {"family": 1, "health": 1}


def test_two_areas_or_years_never_share_aggregates(client: TestClient, tokens: Any) -> None:
    ministry = tokens.headers("ministry")

    def classes(area_id: str, year: int) -> list[str]:
        found = client.get(f"/api/stats/v1/aggregates?area_id={area_id}&year={year}", headers=ministry).json()
        assert (found["area_id"], found["year"]) == (area_id, year)
        return [c["class_id"] for c in found["class_occupancy"]]

    assert classes("K1", 2023) == ["c-K1-1-2023", "c-K1-1b-2023"]
    assert classes("K9", 2023) == ["c-K9-1-2023"]
    assert classes("K1", 2024) == ["c-K1-1-2024", "c-K1-2-2024"]
    assert classes("S1", 2023) == ["c-K1-1-2023", "c-K1-1b-2023", "c-K2-1-2023"]


def test_kept_aggregates_are_still_refused_to_another_schools_admin(client: TestClient, tokens: Any) -> None:
    url = "/api/stats/v1/aggregates?area_id=K1&year=2023"
    kept = client.get(url, headers=tokens.headers("ministry"))
    assert kept.status_code == 200
    assert client.get(url, headers=tokens.headers("school_admin", "K1")).json() == kept.json()
    refused = client.get(url, headers=tokens.headers("school_admin", "K9"))
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert "class_occupancy" not in refused.text
    assert client.get(url).status_code == 401


def test_public_school_profile_withholds_small_counts(client: TestClient) -> None:
    big = client.get("/api/stats/v1/open/schools/K1.json?year=2023").json()
    assert (big["learners"], big["by_grade"], big["classes"], big["teachers"]) == (12, {"1": 12}, 2, 1)
    assert big["attendance_rate"] == 98.333333
    small = client.get("/api/stats/v1/open/schools/K2.json?year=2023").json()
    assert (small["learners"], small["by_grade"]) == (None, {"1": None})
    assert client.get("/api/stats/v1/open/schools/S1.json?year=2023").status_code == 404

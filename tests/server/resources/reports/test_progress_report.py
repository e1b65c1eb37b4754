"""A participant's progress report, and their final report once they have ended
(GET /reports/participants/{id}/progress), against a history written through the API:
two plan versions, a goal reached with a progress note, attendance with absences and a
public holiday (Whit Monday, 25 May 2026), follow-ups of several kinds with notes, a
meeting held with minutes and one still planned. The report holds statuses and counts,
never a note or the minutes."""

import re
import subprocess
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from server.database import db
from server.models import AccessLogEntry
from tests.conftest import expect
from tests.factories import ParticipantFactory

OSLO = ZoneInfo("Europe/Oslo")
NOW = datetime(2026, 6, 17, 14, 0, tzinfo=OSLO)  # a Wednesday
START = date(2026, 5, 4)
SECRET = "HEMMELIG"  # in every note and in the minutes: never in a report


def d(day: int, month: int = 6) -> date:
    return date(2026, month, day)


def at(day: date, hour: int = 10) -> str:
    return datetime(day.year, day.month, day.day, hour, tzinfo=OSLO).isoformat()


def slots(*weekdays) -> list[dict]:
    return [{"weekday": w, "start": "09:00", "end": "14:00"} for w in weekdays]


ATTENDANCE = {
    d(4, 5): "present",
    d(5, 5): "sick",
    d(6, 5): "present",
    d(11, 5): "appointment",
    d(12, 5): "present",
    d(1): "present",
    d(2): "sick_child",
    d(4): "no_show",
    d(8): "leave",
    d(9): "present",
    d(10): "other",
}
# Monday to Wednesday in May (the first plan), less Whit Monday; Monday to Thursday from
# 1 June (the second), less the day of leave; to today.
EXPECTED_DAYS = {
    d(4, 5), d(5, 5), d(6, 5), d(11, 5), d(12, 5), d(13, 5), d(18, 5), d(19, 5), d(20, 5),
    d(26, 5), d(27, 5),
    d(1), d(2), d(3), d(4), d(9), d(10), d(11), d(15), d(16), d(17),
}  # fmt: skip
FOLLOWUPS = [  # (kind, day)
    ("conversation", d(7, 5)),
    ("conversation", d(3)),
    ("phone", d(5)),
    ("home_visit", d(12)),
]


def figures(first: date, last: date) -> dict:
    """Attendance from ATTENDANCE and EXPECTED_DAYS alone."""
    days = {day: what for day, what in ATTENDANCE.items() if first <= day <= last}
    expected = {day for day in EXPECTED_DAYS if first <= day <= last}
    present = {day for day, what in days.items() if what == "present"}
    reasons = ["sick", "sick_child", "appointment", "leave", "no_show", "other"]
    return {
        "expected_days": len(expected),
        "present_days": len(present),
        "present_on_expected_days": len(present & expected),
        "absent": {r: sum(1 for what in days.values() if what == r) for r in reasons},
        "unregistered_expected_days": len(expected - set(days)),
        "attendance_rate": round(len(present & expected) / len(expected), 4),
    }


def by_kind(first: date, last: date) -> dict:
    counts = dict.fromkeys(["conversation", "phone", "home_visit", "accompaniment", "other"], 0)
    for kind, day in FOLLOWUPS:
        if first <= day <= last:
            counts[kind] += 1
    return counts


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def kari(world, as_user):
    """Kari's history, written through the API by the leader and the facilitator."""
    kari = ParticipantFactory(
        department=world.dept_a1,
        first_name="Kari",
        last_name="Nordmann",
        start_date=START,
        planned_end_date=d(31, 12),
        nav_office="NAV Kristiansand",
        nav_contact="Per Veileder",
    )
    leader, staff = as_user(world.leader), as_user(world.facilitator)
    path = f"/participants/{kari.id}"
    first = expect(
        leader.put(
            f"{path}/plan",
            json={
                "valid_from": START.isoformat(),
                "goals": [
                    {"title": "Møte presis", "due_date": "2026-06-30"},
                    {"title": "Lære kassen"},
                ],
                "work_areas": ["kjøkken"],
                "schedule": slots(1, 2, 3),
                "notes": f"{SECRET} planens notat",
            },
        ),
        201,
    )
    on_time = first["goals"][0]["id"]
    expect(
        leader.put(
            f"{path}/plan",
            json={
                "valid_from": "2026-06-01",
                "goals": [
                    {"id": on_time, "title": "Møte presis", "due_date": "2026-06-30"},
                    {"title": "Søke jobb", "due_date": "2026-09-01"},
                ],
                "work_areas": ["kasse", "servering"],
                "schedule": slots(1, 2, 3, 4),
            },
        ),
        201,
    )
    expect(
        staff.patch(
            f"{path}/plan/goals/{on_time}",
            json={"status": "achieved", "progress_note": f"{SECRET} fremdriftsnotat"},
        ),
        200,
    )
    for day, what in ATTENDANCE.items():
        body = {"participant_id": str(kari.id), "date": day.isoformat()}
        if what == "present":
            body["status"] = "present"
        else:
            body |= {"status": "absent", "absence_reason": what}
        expect(staff.put(f"/attendance/{uuid.uuid4()}", json=body), 201)
    for kind, day in FOLLOWUPS:
        body = {
            "participant_id": str(kari.id),
            "kind": kind,
            "occurred_at": at(day),
            "note": f"{SECRET} notat om {kind}",
        }
        expect(staff.put(f"/followups/{uuid.uuid4()}", json=body), 201)
    member = {"name": "Per Veileder", "organisation": "NAV Kristiansand"}
    held = expect(
        leader.post(f"{path}/meetings", json={"scheduled_at": at(d(20, 5)), "members": [member]}),
        201,
    )
    etag = leader.get(f"/meetings/{held['id']}").headers["ETag"]
    expect(
        leader.patch(
            f"/meetings/{held['id']}",
            json={"status": "held", "minutes": f"{SECRET} referat", "decisions": "Fortsette"},
            headers={"If-Match": etag},
        ),
        200,
    )
    expect(
        leader.post(f"{path}/meetings", json={"scheduled_at": at(d(20, 8)), "members": [member]}),
        201,
    )
    return kari


def end(api, participant, outcome: str, end_date: str = "2026-06-12"):
    etag = api.get(f"/participants/{participant.id}").headers["ETag"]
    return expect(
        api.post(
            f"/participants/{participant.id}/end",
            json={"end_date": end_date, "outcome": outcome},
            headers={"If-Match": etag},
        ),
        200,
    )


def progress(api, participant, format="json", language="nb", **query):
    return api.get(
        f"/reports/participants/{participant.id}/progress",
        query_string={"format": format, **query},
        headers={"Accept-Language": language},
    )


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_a_progress_report_from_the_start_to_today(world, as_user, kari):
    body = expect(progress(as_user(world.leader), kari), 200)
    assert body["kind"] == "progress"
    assert (body["from"], body["to"], body["counted_to"]) == (
        "2026-05-04",
        "2026-06-17",
        "2026-06-17",
    )
    assert body["participant"] == {
        "id": str(kari.id),
        "first_name": "Kari",
        "last_name": "Nordmann",
    }
    assert (body["nav_office"], body["nav_contact"]) == ("NAV Kristiansand", "Per Veileder")
    assert body["facilitator"] == world.leader.full_name
    assert (body["start_date"], body["planned_end_date"], body["end_date"]) == (
        "2026-05-04",
        "2026-12-31",
        None,
    )
    # The current version's goals, with their status now; its work areas.
    assert body["plan"] == {
        "version": 2,
        "valid_from": "2026-06-01",
        "goals": [
            {"title": "Møte presis", "status": "achieved", "due_date": "2026-06-30"},
            {"title": "Søke jobb", "status": "not_started", "due_date": "2026-09-01"},
        ],
        "work_areas": ["kasse", "servering"],
    }
    assert body["attendance"] == figures(START, NOW.date())
    assert body["followups"] == {
        "by_kind": by_kind(START, NOW.date()),
        "total": len(FOLLOWUPS),
    }
    assert body["meetings_held"] == {"count": 1, "dates": ["2026-05-20"]}  # not the planned
    assert (body["outcome"], body["nav_end_reason"]) == (None, None)
    assert SECRET not in str(body)


def test_a_period_of_the_callers_choosing(world, as_user, kari):
    june = {"from": "2026-06-01", "to": "2026-06-30"}
    body = expect(progress(as_user(world.leader), kari, **june), 200)
    assert (body["from"], body["to"], body["counted_to"]) == (
        "2026-06-01",
        "2026-06-30",
        "2026-06-17",
    )
    assert body["attendance"] == figures(d(1), NOW.date())
    assert body["followups"]["by_kind"] == by_kind(d(1), d(30))
    assert body["meetings_held"] == {"count": 0, "dates": []}


def test_the_pdf_of_a_progress_report(world, as_user, kari, tmp_path):
    response = progress(as_user(world.leader), kari, "pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert (
        response.headers["Content-Disposition"]
        == (  # never the name
            f'attachment; filename="framdriftsrapport-{str(kari.id)[:8]}-2026-05-04-2026-06-17.pdf"'
        )
    )
    text = pdf_text(response.data, tmp_path)
    assert text.count("\f") == 1  # one page
    flat = re.sub(r"\s+", " ", text)
    assert "Framdriftsrapport: Kari Nordmann" in flat
    assert "Mål i planen (versjon 2, fra 1. juni 2026)" in flat
    assert "Møte presis Nådd 30. juni 2026" in flat
    assert "Søke jobb Ikke startet 1. september 2026" in flat
    assert "Arbeidsområder kasse, servering" in flat
    expected = figures(START, NOW.date())
    assert f"Forventede dager {expected['expected_days']} " in flat
    assert f"Fravær: sykt barn {expected['absent']['sick_child']} " in flat
    assert "Fravær: avtale (NAV/lege/behandling) 1 " in flat
    rate = f"{expected['attendance_rate'] * 100:.1f}".replace(".", ",")
    assert f"Oppmøteprosent {rate} %" in flat
    assert "Samtale 2 " in flat and "Telefon/SMS/e-post 1 " in flat and "Totalt 4" in flat
    assert "1 ansvarsgruppemøte holdt: 20.05.2026" in flat
    assert "Avslutningsårsak" not in flat  # not ended
    assert SECRET not in flat


def test_a_final_report_once_ended_with_navs_reason(world, as_user, kari, tmp_path):
    leader = as_user(world.leader)
    end(leader, kari, "ordinary_work")
    body = expect(progress(leader, kari), 200)
    assert body["kind"] == "final"
    assert (body["to"], body["end_date"]) == ("2026-06-12", "2026-06-12")
    assert (body["outcome"], body["nav_end_reason"]) == ("ordinary_work", "got_job")
    assert body["attendance"] == figures(START, d(12))
    response = progress(leader, kari, "pdf")
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="sluttrapport-{str(kari.id)[:8]}-2026-05-04-2026-06-12.pdf"'
    )
    flat = re.sub(r"\s+", " ", pdf_text(response.data, tmp_path))
    assert "Sluttrapport: Kari Nordmann" in flat
    assert "Avslutningsårsak Ordinært arbeid" in flat
    assert "Avslutningsårsak hos NAV Fått jobb" in flat
    danish = expect(progress(leader, kari, language="da"), 200)
    assert danish["nav_end_reason"] == "got_job"


@pytest.mark.parametrize(
    ("outcome", "reason"),
    [
        ("ordinary_work", "got_job"),
        ("education", "education"),
        ("disability_benefit", "sick"),
        ("other_measure", "needs_other_support"),
        ("dropped_out", "did_not_attend"),
        ("other", "other"),
    ],
)
def test_each_outcome_has_navs_end_reason(world, as_user, outcome, reason):
    leader = as_user(world.leader)
    participant = ParticipantFactory(department=world.dept_a1, start_date=d(4, 5))
    end(leader, participant, outcome)
    body = expect(progress(leader, participant), 200)
    assert (body["kind"], body["outcome"], body["nav_end_reason"]) == ("final", outcome, reason)
    assert body["plan"] is None


def test_without_consent_nothing_is_made(world, as_user):
    refused = ParticipantFactory(department=world.dept_a1, consent_nav_reporting=False)
    response = progress(as_user(world.leader), refused, "pdf")
    assert response.status_code == 409
    assert response.json["message"] == (
        "Deltakeren har ikke samtykket til at rapporter sendes til NAV."
    )
    assert not exports()


@pytest.mark.parametrize(
    ("who", "where", "status"),
    [
        ("facilitator", "own", 403),
        ("facilitator", "other_dept", 404),
        ("leader", "other_dept", 404),
        ("leader", "other_org", 404),
        ("admin", "other_dept", 200),
    ],
)
def test_only_leaders_and_admins_of_the_participant(world, as_user, who, where, status):
    response = progress(as_user(world.user(who)), world.participant(where))
    assert response.status_code == status, response.get_json(silent=True)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2026-06-10", "to": "2026-06-01"}, "to"),
        ({"from": "2026-07-01"}, "from"),  # not started yet
        ({"format": "csv"}, "format"),
        ({"from": "1. juni"}, "from"),
    ],
)
def test_a_bad_period_or_format_is_refused(world, as_user, query, field):
    response = progress(as_user(world.leader), world.participant_a1, **query)
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]["query"]


def exports() -> list[AccessLogEntry]:
    return db.session.scalars(
        select(AccessLogEntry).where(
            AccessLogEntry.action == "export", AccessLogEntry.resource == "progress_report"
        )
    ).all()


def test_each_download_is_an_export(world, as_user, kari):
    leader = as_user(world.leader)
    assert progress(leader, kari).status_code == 200
    assert progress(leader, kari, "pdf").status_code == 200
    assert [(e.participant_id, e.user_id) for e in exports()] == [(kari.id, world.leader.id)] * 2


def test_the_command_line_writes_the_same_report(world, runner, kari, tmp_path, as_user):
    target = tmp_path / "rapport.pdf"
    result = runner.invoke(
        args=["report", "progress", "--participant", str(kari.id),
              "--user", world.leader.username, "--output", str(target)]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    flat = re.sub(r"\s+", " ", pdf_text(target.read_bytes(), tmp_path))
    assert "Framdriftsrapport: Kari Nordmann" in flat
    assert len(exports()) == 1
    june = tmp_path / "juni.pdf"
    result = runner.invoke(
        args=["report", "progress", "--participant", str(kari.id), "--from", "2026-06-01",
              "--to", "2026-06-30", "--user", world.leader.username, "-o", str(june)]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "1. juni 2026 til 30. juni 2026" in pdf_text(june.read_bytes(), tmp_path)
    refused = runner.invoke(
        args=["report", "progress", "--participant", str(kari.id),
              "--user", world.facilitator.username]
    )  # fmt: skip
    assert refused.exit_code == 1
    assert "Rollen din gir ikke tilgang til dette." in refused.output


def test_a_participant_who_starts_later_in_the_month(world, as_user):
    """Nothing expected before the start; the report still has the participant's header."""
    leader = as_user(world.leader)
    fresh = ParticipantFactory(department=world.dept_a1, start_date=NOW.date() - timedelta(1))
    body = expect(progress(leader, fresh), 200)
    assert body["attendance"]["expected_days"] == 0
    assert body["attendance"]["attendance_rate"] is None
    assert body["plan"] is None


def test_no_report_before_the_participant_has_started(world, as_user):
    later = ParticipantFactory(department=world.dept_a1, start_date=date(2026, 9, 1))
    response = progress(as_user(world.leader), later, language="en")
    assert response.status_code == 409
    assert response.json["message"] == "The participant has not started in the programme yet."

"""The participants' pages: the list, enrolling, the overview, changing (and a change
made from a stale form merged rather than overwriting), ending, follow-ups, meetings and
the access log, through the office's forms against the real app and database."""

import re
import uuid
from datetime import UTC, datetime, timedelta
from html import unescape

from server import clock
from server.database import db
from tests import factories
from tests.countries import danish_workshop
from tests.server.office.conftest import nb

_VERSION = re.compile(r'name="version" value="([^"]*)"')


def text_of(response) -> str:
    return unescape(response.get_data(as_text=True))


def participant_path(participant, page: str = "") -> str:
    return f"/office/participants/{participant.id}{page}"


def stored(api, participant) -> dict:
    response = api.get(f"/participants/{participant.id}")
    assert response.status_code == 200, response.json
    return response.json


def enrolment(department, **extra) -> dict:
    return {
        "first_name": "Kari",
        "last_name": "Nordmann",
        "department_id": str(department.id),
        "phone": "912 34 567",
        "gender": "female",
        "birth_year": "1985",
        "start_date": "2026-03-02",
        "planned_end_date": "2026-09-30",
        "nav_office": "NAV Kristiansand",
        "nav_contact": "Ola Veileder",
        "consent_nav_reporting": ["false", "true"],
        "group_id": "",
        "participation": "part_time",
        "days_per_week": "3",
        **extra,
    }


def make_group(api, department, name: str) -> str:
    response = api.post(f"/departments/{department.id}/groups", json={"name": name})
    assert response.status_code == 201, response.json
    return response.json["id"]


# --------------------------------------------------------------------------------------
# The list


def test_the_list_shows_the_departments_participants_with_links(signed_in, world):
    browser = signed_in(world.leader)
    response = browser.get("/office/participants/")
    assert response.status_code == 200
    page = text_of(response)
    assert world.participant_a1.first_name in page
    assert participant_path(world.participant_a1) in page
    # Another department's and another organisation's participants are not listed.
    assert world.participant_a2.first_name not in page
    assert world.participant_b1.first_name not in page
    assert 'href="/office/participants/new' in page


def test_the_list_searches_by_name_and_filters_by_status(signed_in, world):
    factories.ParticipantFactory(department=world.dept_a1, first_name="Åse", last_name="Ødegård")
    browser = signed_in(world.leader)
    page = text_of(browser.get("/office/participants/?q=ødeg"))
    assert "Åse" in page and world.participant_a1.first_name not in page
    paused = text_of(browser.get("/office/participants/?status=paused"))
    assert "Åse" not in paused and world.participant_a1.first_name not in paused
    active = text_of(browser.get("/office/participants/?status=active"))
    assert "Åse" in active and world.participant_a1.first_name in active


def test_the_list_filters_by_group(signed_in, world, as_user):
    api = as_user(world.leader)
    group = make_group(api, world.dept_a1, "Snekkerverkstedet")
    member = factories.ParticipantFactory(department=world.dept_a1, first_name="Gunnar")
    etag = api.get(f"/participants/{member.id}").headers["ETag"]
    changed = api.patch(
        f"/participants/{member.id}", json={"group_id": group}, headers={"If-Match": etag}
    )
    assert changed.status_code == 200, changed.json
    browser = signed_in(world.leader)
    page = text_of(browser.get(f"/office/participants/?group={group}"))
    assert "Gunnar" in page
    assert world.participant_a1.first_name not in page
    # The group's name is shown in the row of everyone in it.
    everyone = text_of(browser.get("/office/participants/"))
    assert "Snekkerverkstedet" in everyone and world.participant_a1.first_name in everyone


def test_the_department_picker_shows_another_department(signed_in, world):
    browser = signed_in(world.admin)
    page = text_of(browser.get(f"/office/participants/?department={world.dept_a2.id}"))
    assert world.participant_a2.first_name in page
    assert world.participant_a1.first_name not in page


def test_the_list_needs_a_login(office, world):
    response = office.get("/office/participants/")
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/office/login")


# --------------------------------------------------------------------------------------
# Enrolling


def test_a_leader_enrols_a_participant(signed_in, world, as_user):
    browser = signed_in(world.leader)
    form = browser.get("/office/participants/new")
    assert form.status_code == 200
    assert 'name="enrolment_type"' not in text_of(form)  # Norway has no enrolment types
    response = browser.post(
        "/office/participants/new",
        enrolment(world.dept_a1),
        token_from="/office/participants/new",
    )
    assert response.status_code == 303, text_of(response)
    location = response.headers["Location"]
    assert re.fullmatch(r"/office/participants/[0-9a-f-]{36}", location)
    participant_id = location.rsplit("/", 1)[1]
    page = text_of(browser.get(location))
    assert "Kari Nordmann" in page  # the heading and the flash message
    body = as_user(world.leader).get(f"/participants/{participant_id}").json
    assert body["first_name"] == "Kari" and body["last_name"] == "Nordmann"
    assert body["phone"] == "+4791234567"
    assert body["birth_year"] == 1985
    assert body["consent_nav_reporting"] is True
    assert body["participation"] == "part_time" and body["days_per_week"] == 3
    assert body["planned_end_date"] == "2026-09-30"
    assert body["status"] == "active"


def test_a_refused_enrolment_keeps_what_was_typed(signed_in, world, as_user):
    browser = signed_in(world.leader)
    before = as_user(world.leader).get("/participants").headers["X-Pagination"]
    response = browser.post(
        "/office/participants/new",
        enrolment(world.dept_a1, last_name="", birth_year="nineteen", nav_office="NAV Lister"),
        token_from="/office/participants/new",
    )
    assert response.status_code == 422
    page = text_of(response)
    assert 'id="error-summary"' in page
    assert 'value="Kari"' in page and 'value="NAV Lister"' in page and 'value="nineteen"' in page
    assert 'id="last_name-error"' in page and 'id="birth_year-error"' in page
    # The summary at the top names each box it links to.
    assert re.search(rf'<a href="#last_name">{nb("Last name")}: [^<]+</a>', page)
    assert as_user(world.leader).get("/participants").headers["X-Pagination"] == before


def test_a_planned_end_before_the_start_is_refused_beside_its_box(signed_in, world):
    browser = signed_in(world.leader)
    response = browser.post(
        "/office/participants/new",
        enrolment(world.dept_a1, planned_end_date="2026-01-01"),
        token_from="/office/participants/new",
    )
    assert response.status_code == 422
    page = text_of(response)
    assert 'id="planned_end_date-error"' in page
    assert nb("Must not be before the start date.") in page


def test_a_danish_workshop_enrols_with_an_enrolment_type(signed_in, as_user):
    workshop = danish_workshop()
    browser = signed_in(workshop.leader)
    form = text_of(browser.get("/office/participants/new"))
    assert 'name="enrolment_type"' in form
    data = enrolment(workshop.department, phone="12 34 56 78", enrolment_type="")
    refused = browser.post("/office/participants/new", data, token_from="/office/participants/new")
    assert refused.status_code == 422
    assert 'id="enrolment_type-error"' in text_of(refused)
    data["enrolment_type"] = "dk_103"
    response = browser.post("/office/participants/new", data, token_from="/office/participants/new")
    assert response.status_code == 303, text_of(response)
    participant_id = response.headers["Location"].rsplit("/", 1)[1]
    body = as_user(workshop.leader).get(f"/participants/{participant_id}").json
    assert body["enrolment_type"] == "dk_103"
    assert body["phone"] == "+4512345678"


# --------------------------------------------------------------------------------------
# The overview


def test_the_overview_shows_the_participants_page(signed_in, world):
    participant = world.participant_a1
    factories.FollowUpFactory(
        participant=participant,
        author=world.facilitator,
        occurred_at=clock.now() - timedelta(days=1),
        note="Snakket om helgen",
    )
    browser = signed_in(world.leader)
    response = browser.get(participant_path(participant))
    assert response.status_code == 200
    page = text_of(response)
    assert page.count("<h1") == 1
    assert f"{participant.first_name} {participant.last_name}" in page
    assert "Mål 1" in page  # the current plan's goal
    assert world.facilitator.full_name in page  # the latest follow-up, by whom
    assert "Snakket om helgen" not in page  # never a note here
    assert participant_path(participant, "/edit") in page
    assert participant_path(participant, "/end") in page
    assert participant_path(participant, "/followups") in page  # a tab


def test_a_participant_of_another_department_or_organisation_is_not_found(signed_in, world):
    browser = signed_in(world.facilitator)
    for participant in (world.participant_a2, world.participant_b1):
        for page in ("", "/edit", "/end", "/followups", "/meetings"):
            response = browser.get(participant_path(participant, page))
            assert response.status_code == 404, page
            assert participant.first_name not in text_of(response)
    assert browser.get(f"/office/participants/{uuid.uuid4()}").status_code == 404


# --------------------------------------------------------------------------------------
# Changing


def edit_form(browser, participant) -> tuple[str, dict]:
    """The change form as a browser has it: its version and every box's value."""
    page = text_of(browser.get(participant_path(participant, "/edit")))
    version = _VERSION.search(page).group(1)
    fields = dict(re.findall(r'name="original_([a-z_]+)" value="([^"]*)"', page))
    return version, fields


def submit(browser, participant, version: str, originals: dict, typed: dict):
    data = {"version": version}
    data.update({f"original_{name}": value for name, value in originals.items()})
    data.update(originals)
    data.update(typed)
    path = participant_path(participant, "/edit")
    return browser.post(path, data, token_from=path)


def test_a_change_is_saved(signed_in, world, as_user):
    participant = world.participant_a1
    browser = signed_in(world.leader)
    version, fields = edit_form(browser, participant)
    assert fields["first_name"] == participant.first_name
    assert fields["consent_nav_reporting"] == "true"
    response = submit(browser, participant, version, fields, {"nav_office": "NAV Vennesla"})
    assert response.status_code == 303, text_of(response)
    assert response.headers["Location"] == participant_path(participant)
    body = stored(as_user(world.leader), participant)
    assert body["nav_office"] == "NAV Vennesla"
    assert body["first_name"] == participant.first_name


def test_a_refused_change_keeps_what_was_typed(signed_in, world, as_user):
    participant = world.participant_a1
    browser = signed_in(world.leader)
    version, fields = edit_form(browser, participant)
    response = submit(
        browser, participant, version, fields, {"phone": "12", "nav_contact": "Per Veileder"}
    )
    assert response.status_code == 422
    page = text_of(response)
    assert 'id="phone-error"' in page
    assert 'value="12"' in page and 'value="Per Veileder"' in page
    assert stored(as_user(world.leader), participant)["nav_contact"] is None


def test_a_stale_change_is_merged_not_overwritten(signed_in, world, as_user):
    participant = world.participant_a1
    first = signed_in(world.leader)
    second = signed_in(world.admin)
    version_1, fields_1 = edit_form(first, participant)
    version_2, fields_2 = edit_form(second, participant)
    assert version_1 == version_2

    saved = submit(
        first,
        participant,
        version_1,
        fields_1,
        {"phone": "+47 400 00 001", "nav_contact": "Lise Veileder"},
    )
    assert saved.status_code == 303

    # The second form was read before that change: it is not saved, it is shown again.
    stale = submit(
        second,
        participant,
        version_2,
        fields_2,
        {"nav_office": "NAV Mandal", "nav_contact": "Tor Veileder"},
    )
    assert stale.status_code == 409
    page = text_of(stale)
    new_version = _VERSION.search(page).group(1)
    assert new_version != version_2
    rows = dict(re.findall(r'<tr class="difference" data-field="([a-z_]+)">(.*?)</tr>', page, re.S))
    # The phone only the first person changed, the contact both changed.
    assert set(rows) == {"phone", "nav_contact"}
    assert "+4740000001" in rows["phone"]
    assert "Lise Veileder" in rows["nav_contact"] and "Tor Veileder" in rows["nav_contact"]
    # The boxes: what the second person typed where they typed, what is stored elsewhere.
    assert 'name="nav_office" value="NAV Mandal"' in page
    assert 'name="nav_contact" value="Tor Veileder"' in page
    assert 'name="phone" value="+4740000001"' in page
    assert 'name="original_phone" value="+4740000001"' in page
    body = stored(as_user(world.leader), participant)
    assert body["nav_contact"] == "Lise Veileder" and body["nav_office"] is None

    # Saving from the merge page sends the second person's own changes only.
    merged_originals = dict(re.findall(r'name="original_([a-z_]+)" value="([^"]*)"', page))
    merged = submit(
        second,
        participant,
        new_version,
        merged_originals,
        {"nav_office": "NAV Mandal", "nav_contact": "Tor Veileder"},
    )
    assert merged.status_code == 303, text_of(merged)
    body = stored(as_user(world.leader), participant)
    assert body["phone"] == "+4740000001"  # the first person's, kept
    assert body["nav_office"] == "NAV Mandal"
    assert body["nav_contact"] == "Tor Veileder"  # chosen, having seen the other


def test_a_field_only_someone_else_changed_is_kept(signed_in, world, as_user):
    participant = world.participant_a1
    first = signed_in(world.leader)
    second = signed_in(world.admin)
    version, fields = edit_form(first, participant)
    _, fields_2 = edit_form(second, participant)
    saved = submit(first, participant, version, fields, {"first_name": "Annelise"})
    assert saved.status_code == 303
    # The second form still shows the old first name; it changes another box only.
    stale = submit(second, participant, version, fields_2, {"birth_year": "1970"})
    assert stale.status_code == 409
    page = text_of(stale)
    assert 'name="first_name" value="Annelise"' in page
    merged_originals = dict(re.findall(r'name="original_([a-z_]+)" value="([^"]*)"', page))
    boxes = {**merged_originals, "birth_year": "1970"}
    again = submit(second, participant, _VERSION.search(page).group(1), merged_originals, boxes)
    assert again.status_code == 303
    body = stored(as_user(world.leader), participant)
    assert body["first_name"] == "Annelise" and body["birth_year"] == 1970


def test_a_change_keeps_a_closed_department(signed_in, world, as_user):
    participant = world.participant_a1
    world.dept_a1.active = False
    db.session.commit()
    browser = signed_in(world.admin)
    version, fields = edit_form(browser, participant)
    assert fields["department_id"] == str(world.dept_a1.id)
    page = text_of(browser.get(participant_path(participant, "/edit")))
    assert f'<option value="{world.dept_a1.id}" selected>' in page
    response = submit(browser, participant, version, fields, {"nav_office": "NAV Lister"})
    assert response.status_code == 303, text_of(response)
    body = stored(as_user(world.admin), participant)
    assert body["department_id"] == str(world.dept_a1.id)
    assert body["nav_office"] == "NAV Lister"


def test_a_form_without_its_version_changes_nothing(signed_in, world, as_user):
    participant = world.participant_a1
    browser = signed_in(world.leader)
    _, fields = edit_form(browser, participant)
    response = submit(browser, participant, "", fields, {"nav_office": "NAV Blind"})
    assert response.status_code == 428
    assert stored(as_user(world.leader), participant)["nav_office"] is None


# --------------------------------------------------------------------------------------
# Ending


def test_ending_asks_first_and_stores_the_outcome(signed_in, world, as_user):
    participant = world.participant_a1
    browser = signed_in(world.leader)
    form = text_of(browser.get(participant_path(participant, "/end")))
    assert "data-confirm=" in form
    future = (clock.now() + timedelta(days=3)).date().isoformat()
    refused = browser.post(
        participant_path(participant, "/end"),
        {"end_date": future, "outcome": "education"},
        token_from=participant_path(participant, "/end"),
    )
    assert refused.status_code == 422
    assert 'id="end_date-error"' in text_of(refused)
    assert f'value="{future}"' in text_of(refused)
    today = clock.now().date().isoformat()
    response = browser.post(
        participant_path(participant, "/end"),
        {"end_date": today, "outcome": "education"},
        token_from=participant_path(participant, "/end"),
    )
    assert response.status_code == 303
    body = stored(as_user(world.leader), participant)
    assert body["status"] == "ended" and body["outcome"] == "education"
    assert body["end_date"] == today
    again = text_of(browser.get(participant_path(participant, "/end")))
    assert 'name="outcome"' not in again


# --------------------------------------------------------------------------------------
# Follow-ups


def test_a_follow_up_is_logged_and_its_note_read_one_at_a_time(signed_in, world, as_user):
    participant = world.participant_a1
    browser = signed_in(world.facilitator)
    path = participant_path(participant, "/followups")
    form = text_of(browser.get(path))
    client_id = re.search(r'name="client_id" value="([^"]+)"', form).group(1)
    when = (clock.now() - timedelta(hours=2)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M")
    data = {
        "client_id": client_id,
        "kind": "home_visit",
        "occurred_at": when,
        "duration_minutes": "45",
        "note": "Hjemmebesøk, gikk fint",
    }
    response = browser.post(path, data, token_from=path)
    assert response.status_code == 303, text_of(response)
    # Sent twice (a double click), it is still one follow-up.
    assert browser.post(path, data, token_from=path).status_code == 303
    listed = as_user(world.leader).get(f"/followups?participant_id={participant.id}").json
    assert [item["id"] for item in listed] == [client_id]
    assert listed[0]["kind"] == "home_visit" and listed[0]["duration_minutes"] == 45

    page = text_of(browser.get(path))
    assert "Hjemmebesøk, gikk fint" not in page  # lists never carry the note
    assert f"note={client_id}" in page
    opened = text_of(browser.get(f"{path}?note={client_id}"))
    assert "Hjemmebesøk, gikk fint" in opened


def test_the_note_is_withheld_from_whoever_is_not_staff_of_the_department(signed_in, world):
    participant = world.participant_a1
    followup = factories.FollowUpFactory(
        participant=participant,
        author=world.facilitator,
        occurred_at=datetime(2026, 3, 2, 10, 0, tzinfo=UTC),
        note="Bare for avdelingen",
    )
    admin = signed_in(world.admin)  # an admin who is not staff of the department
    path = participant_path(participant, "/followups")
    page = text_of(admin.get(path))
    assert 'name="kind"' not in page  # nor may they log one
    assert f"note={followup.id}" not in page  # nor is there a note to open
    opened = text_of(admin.get(f"{path}?note={followup.id}"))
    assert "Bare for avdelingen" not in opened
    assert world.facilitator.full_name in opened


def test_a_note_of_another_participants_follow_up_is_not_found_here(signed_in, world):
    other = factories.ParticipantFactory(department=world.dept_a1)
    followup = factories.FollowUpFactory(participant=other, author=world.facilitator, note="x")
    browser = signed_in(world.leader)
    path = participant_path(world.participant_a1, "/followups")
    assert browser.get(f"{path}?note={followup.id}").status_code == 404


def test_a_refused_follow_up_keeps_the_note(signed_in, world, as_user):
    participant = world.participant_a1
    browser = signed_in(world.facilitator)
    path = participant_path(participant, "/followups")
    future = (clock.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = browser.post(
        path,
        {"kind": "", "occurred_at": future, "duration_minutes": "", "note": "Viktig notat"},
        token_from=path,
    )
    assert response.status_code == 422
    page = text_of(response)
    assert "Viktig notat" in page
    assert 'id="kind-error"' in page
    listed = as_user(world.leader).get(f"/followups?participant_id={participant.id}").json
    assert listed == []


# --------------------------------------------------------------------------------------
# Meetings and the access log


def test_the_meetings_are_listed(signed_in, world):
    participant = world.participant_a1
    factories.MeetingFactory(participant=participant, author=world.leader, location="Møterom 2")
    browser = signed_in(world.facilitator)
    response = browser.get(participant_path(participant, "/meetings"))
    assert response.status_code == 200
    assert "Møterom 2" in text_of(response)


def test_the_access_log_shows_who_read_the_participant(signed_in, world):
    participant = world.participant_a1
    reader = signed_in(world.facilitator)
    assert reader.get(participant_path(participant)).status_code == 200
    leader = signed_in(world.leader)
    response = leader.get(participant_path(participant, "/access-log"))
    assert response.status_code == 200
    page = text_of(response)
    assert world.facilitator.full_name in page
    assert "overview" in page
    # A facilitator may not read it.
    assert reader.get(participant_path(participant, "/access-log")).status_code == 403

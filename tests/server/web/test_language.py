"""The API answers in the language the request asks for (Accept-Language), else the user's,
else the organisation's, else the server's (bokmål): error envelopes included, with the
field errors of marshmallow, of Spire's own fields and of the services' rules."""

import uuid

import pytest
from flask.testing import FlaskClient

from server import create_app
from server.database import db
from shared.vocab import Language
from tests.conftest import Api, base_config, expect, login
from tests.factories import PASSWORD, UserFactory

NB, DA, EN = "nb", "da", "en"


@pytest.fixture
def plain(app):
    """A client that sends no Accept-Language unless a request does (the suite's own
    client asks for English)."""
    return FlaskClient(app, app.response_class)


@pytest.fixture
def as_plain(plain):
    """``as_plain(user)`` -> an Api logged in as that user, sending no Accept-Language."""

    def make(user) -> Api:
        return Api(plain, login(plain, user.username)["access_token"])

    return make


def _speaking(language):
    return {"Accept-Language": language}


def _set_language(thing, language):
    thing.language = language
    db.session.commit()


# --- The same errors in the three languages -----------------------------------------------

WORDS = {
    # language: (the envelope's 422 message, a required field, an invalid integer)
    NB: ("Ugyldige opplysninger.", "Må fylles ut.", "Må være et heltall."),
    DA: ("Ugyldige oplysninger.", "Skal udfyldes.", "Skal være et heltal."),
    EN: ("Invalid input.", "Missing data for required field.", "Not a valid integer."),
}


@pytest.mark.parametrize("language", [NB, DA, EN])
def test_marshmallow_field_errors_are_translated(world, as_plain, language):
    api = as_plain(world.admin)
    response = api.post("/users", json={"username": "ny-bruker"}, headers=_speaking(language))
    body = expect(response, 422)
    message, required, _ = WORDS[language]
    assert body["message"] == message
    assert body["errors"]["json"]["full_name"] == [required]
    assert body["errors"]["json"]["role"] == [required]
    assert response.headers["Content-Language"] == language


@pytest.mark.parametrize("language", [NB, DA, EN])
def test_type_and_unknown_field_errors_are_translated(world, as_plain, language):
    api = as_plain(world.admin)
    response = api.get("/users?page=x", headers=_speaking(language))
    assert expect(response, 422)["errors"]["query"]["page"] == [WORDS[language][2]]
    response = api.post("/users", json={"colour": "blue"}, headers=_speaking(language))
    unknown = {NB: "Ukjent felt.", DA: "Ukendt felt.", EN: "Unknown field."}[language]
    assert expect(response, 422)["errors"]["json"]["colour"] == [unknown]


@pytest.mark.parametrize(
    ("language", "length", "one_of", "range_"),
    [
        (NB, "Lengden må være mellom 1 og 120.", "Må være en av:", "Må være mellom 1 og 7."),
        (DA, "Længden skal være mellem 1 og 120.", "Skal være en af:", "Skal være mellem 1 og 7."),
        (
            EN,
            "The length must be between 1 and 120.",
            "Must be one of:",
            "Must be between 1 and 7.",
        ),
    ],
)
def test_validator_messages_are_translated(world, as_plain, language, length, one_of, range_):
    api = as_plain(world.admin)
    response = api.post(
        "/users",
        json={"username": "ny-bruker", "full_name": "x" * 121, "role": "boss", "password": "p"},
        headers=_speaking(language),
    )
    errors = expect(response, 422)["errors"]["json"]
    assert errors["full_name"] == [length]
    assert errors["role"] == [f"{one_of} admin, leader, facilitator."]
    participant = world.participant_a1
    schedule = as_plain(world.facilitator).put(
        f"/participants/{participant.id}/wakeup-schedule",
        json={"weekdays": [8], "time": "07:30"},
        headers=_speaking(language),
    )
    assert expect(schedule, 422)["errors"]["json"]["weekdays"] == {"0": [range_]}


@pytest.mark.parametrize(
    ("language", "rule"),
    [
        (NB, "En leder eller tilrettelegger må jobbe i minst én avdeling."),
        (DA, "En leder eller pædagog skal arbejde på mindst ét værksted."),
        (EN, "A leader or facilitator must work in at least one department."),
    ],
)
def test_a_services_rule_is_translated(world, as_plain, language, rule):
    api = as_plain(world.admin)
    response = api.post(
        "/users",
        json={
            "username": "ny-leder",
            "full_name": "Ny Leder",
            "role": "leader",
            "password": "Lang-Og-Sjelden-4471",
        },
        headers=_speaking(language),
    )
    body = expect(response, 422)
    assert body["message"] == WORDS[language][0]
    assert body["errors"]["json"] == {"department_ids": [rule]}


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (NB, "Du er ikke logget inn (innloggingsnøkkelen mangler)."),
        (DA, "Du er ikke logget ind (loginnøglen mangler)."),
        (EN, "Missing access token."),
    ],
)
def test_401_missing_token(plain, language, message):
    response = plain.get("/api/v1/me", headers=_speaking(language))
    assert expect(response, 401)["message"] == message
    assert response.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (NB, "Rollen din gir ikke tilgang til dette."),
        (DA, "Din rolle giver ikke adgang til dette."),
        (EN, "Your role does not allow this."),
    ],
)
def test_403_role(world, as_plain, language, message):
    response = as_plain(world.facilitator).get("/users", headers=_speaking(language))
    assert expect(response, 403)["message"] == message


@pytest.mark.parametrize(
    ("language", "route", "user"),
    [
        (NB, "Finnes ikke.", "Fant ikke brukeren."),
        (DA, "Findes ikke.", "Brugeren blev ikke fundet."),
        (EN, "Not found.", "User not found."),
    ],
)
def test_404(world, as_plain, language, route, user):
    api = as_plain(world.admin)
    assert expect(api.get("/no-such-thing", headers=_speaking(language)), 404)["message"] == route
    missing = api.get(f"/users/{uuid.uuid4()}", headers=_speaking(language))
    assert expect(missing, 404)["message"] == user


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (NB, "Denne metoden er ikke tillatt her."),
        (DA, "Denne metode er ikke tilladt her."),
        (EN, "This method is not allowed here."),
    ],
)
def test_405(world, as_plain, language, message):
    response = as_plain(world.admin).request("DELETE", "/me", headers=_speaking(language))
    assert expect(response, 405)["message"] == message


@pytest.mark.parametrize(
    ("language", "conflict", "stale"),
    [
        (
            NB,
            "Du kan ikke deaktivere deg selv eller ta fra deg din egen administratorrolle.",
            "Dette er endret siden du hentet det. Hent det på nytt og prøv igjen.",
        ),
        (
            DA,
            "Du kan ikke deaktivere dig selv eller fratage dig din egen administratorrolle.",
            "Dette er ændret, siden du hentede det. Hent det igen, og prøv en gang til.",
        ),
        (
            EN,
            "You cannot deactivate yourself or take away your own admin role.",
            "The record was changed since you read it. Reload it and try again.",
        ),
    ],
)
def test_409_and_412(world, as_plain, language, conflict, stale):
    admin = as_plain(world.admin)
    response = admin.patch(
        f"/users/{world.admin.id}", json={"active": False}, headers=_speaking(language)
    )
    assert expect(response, 409)["message"] == conflict
    path = f"/participants/{world.participant_a1.id}"
    etag = admin.get(path).headers["ETag"]
    expect(admin.patch(path, json={"nav_contact": "Kari"}, headers={"If-Match": etag}), 200)
    again = admin.patch(
        path, json={"nav_contact": "Per"}, headers={"If-Match": etag, **_speaking(language)}
    )
    assert expect(again, 412)["message"] == stale


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (NB, "Send innholdet som JSON (Content-Type: application/json)."),
        (DA, "Send indholdet som JSON (Content-Type: application/json)."),
        (EN, "Send the body as JSON (Content-Type: application/json)."),
    ],
)
def test_415(plain, language, message):
    response = plain.post(
        "/api/v1/auth/login",
        data="username=a",
        content_type="text/plain",
        headers=_speaking(language),
    )
    assert expect(response, 415)["message"] == message


@pytest.mark.parametrize(
    ("language", "wrong", "throttled"),
    [
        (NB, "Feil brukernavn eller passord.", "For mange mislykkede forsøk. Prøv igjen senere."),
        (
            DA,
            "Forkert brugernavn eller adgangskode.",
            "For mange mislykkede forsøg. Prøv igen senere.",
        ),
        (EN, "Wrong username or password.", "Too many failed attempts. Try again later."),
    ],
)
def test_401_login_and_429(world, plain, language, wrong, throttled):
    def fail():
        return plain.post(
            "/api/v1/auth/login",
            json={"username": world.facilitator.username, "password": "wrong"},
            headers=_speaking(language),
        )

    for _ in range(5):
        assert expect(fail(), 401)["message"] == wrong
    response = fail()
    assert expect(response, 429)["message"] == throttled
    assert response.headers["Retry-After"]


def test_the_body_is_not_json(world, as_plain):
    response = as_plain(world.admin).request(
        "POST",
        "/users",
        data="{not json",
        content_type="application/json",
        headers=_speaking(DA),
    )
    assert expect(response, 400)["message"] == "Indholdet er ikke gyldig JSON."


# --- Which language ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("da;q=0.9, nb;q=0.8", DA),
        ("nb;q=0.8, da;q=0.9", DA),
        ("fr, nb;q=0.5", NB),
        ("fr, de;q=0.9, da;q=0.1", DA),
        ("nn", NB),
        ("no", NB),
        ("nb-NO", NB),
        ("da-DK,da;q=0.9", DA),
        ("en-GB,en;q=0.9", EN),
        ("en-US, da;q=0.5", EN),
        ("da;q=0, en;q=0.2", EN),
        ("*", NB),
    ],
)
def test_accept_language_by_quality(plain, header, language):
    response = plain.get("/api/v1/me", headers={"Accept-Language": header})
    assert response.status_code == 401
    assert response.headers["Content-Language"] == language
    assert (
        response.json["message"]
        == {
            NB: "Du er ikke logget inn (innloggingsnøkkelen mangler).",
            DA: "Du er ikke logget ind (loginnøglen mangler).",
            EN: "Missing access token.",
        }[language]
    )


def test_without_a_header_or_a_user_the_server_speaks_bokmal(plain):
    response = plain.get("/api/v1/me")
    assert response.headers["Content-Language"] == NB
    assert response.json["message"] == "Du er ikke logget inn (innloggingsnøkkelen mangler)."
    unknown = plain.get("/api/v1/me", headers={"Accept-Language": "fr, de"})
    assert unknown.headers["Content-Language"] == NB


def test_the_servers_language_is_configurable(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("SPIRE_INSTANCE_PATH", str(tmp_path / "danish"))
    app = create_app({**base_config(database_url), "SPIRE_LANGUAGE": "da"})
    with app.app_context():
        response = FlaskClient(app, app.response_class).get("/api/v1/me")
        db.session.remove()
    assert response.headers["Content-Language"] == DA
    assert response.json["message"] == "Du er ikke logget ind (loginnøglen mangler)."


def test_no_header_and_a_danish_user(world, as_plain):
    _set_language(world.facilitator, Language.DANISH)
    response = as_plain(world.facilitator).get("/users")
    assert expect(response, 403)["message"] == "Din rolle giver ikke adgang til dette."
    assert response.headers["Content-Language"] == DA


def test_no_header_and_a_user_of_a_danish_organisation(world, as_plain):
    _set_language(world.org_a, Language.DANISH)
    assert world.facilitator.language is None
    response = as_plain(world.facilitator).get("/users")
    assert expect(response, 403)["message"] == "Din rolle giver ikke adgang til dette."
    # The user's own language wins over the organisation's.
    _set_language(world.facilitator, Language.NORWEGIAN_BOKMAL)
    again = as_plain(world.facilitator).get("/users")
    assert expect(again, 403)["message"] == "Rollen din gir ikke tilgang til dette."


def test_accept_language_beats_the_users_language(world, as_plain):
    _set_language(world.facilitator, Language.DANISH)
    api = as_plain(world.facilitator)
    for header, language in [("nb", NB), ("en", EN), ("fr", DA)]:
        response = api.get("/users", headers={"Accept-Language": header})
        assert response.status_code == 403
        assert response.headers["Content-Language"] == language


def test_a_successful_answer_says_its_language_too(world, as_plain):
    _set_language(world.org_a, Language.DANISH)
    response = as_plain(world.facilitator).get("/me")
    assert expect(response, 200)["language"] == DA
    assert response.headers["Content-Language"] == DA
    assert "Accept-Language" in response.headers["Vary"]


def test_a_failed_login_does_not_tell_the_accounts_language(world, plain):
    _set_language(world.facilitator, Language.DANISH)
    known = plain.post(
        "/api/v1/auth/login", json={"username": world.facilitator.username, "password": "x"}
    )
    unknown = plain.post("/api/v1/auth/login", json={"username": "nobody", "password": "x"})
    assert known.status_code == unknown.status_code == 401
    assert known.json == unknown.json
    assert known.headers["Content-Language"] == unknown.headers["Content-Language"] == NB


def test_sync_answers_each_operation_in_the_batchs_language(world, as_plain):
    _set_language(world.facilitator, Language.DANISH)
    api = as_plain(world.facilitator)
    operations = [
        {"op_id": "1", "method": "PUT", "path": "/users", "body": {}},
        {
            "op_id": "2",
            "method": "PUT",
            "path": f"/attendance/{uuid.uuid4()}",
            "body": {"participant_id": str(world.participant_a1.id)},
        },
    ]
    for header, words in [
        ({}, ("/sync kan ikke skrive til denne adresse.", "Skal udfyldes.")),
        ({"Accept-Language": "nb"}, ("/sync kan ikke skrive til denne adressen.", "Må fylles ut.")),
    ]:
        results = expect(api.post("/sync", json={"operations": operations}, headers=header), 200)
        first, second = (result["body"] for result in results["results"])
        assert first["message"] == words[0]
        assert second["errors"]["json"]["date"] == [words[1]]


# --- The user's language ------------------------------------------------------------------


def test_admins_read_and_write_a_users_language(world, as_user):
    admin = as_user(world.admin)
    created = admin.post(
        "/users",
        json={
            "username": "borger-paedagog",
            "full_name": "Mette Pædagog",
            "role": "facilitator",
            "department_ids": [str(world.dept_a1.id)],
            "password": "Lang-Og-Sjelden-4471",
            "language": "da",
        },
    )
    user = expect(created, 201)
    assert user["language"] == DA
    assert expect(admin.get(f"/users/{user['id']}"), 200)["language"] == DA
    reset = admin.patch(f"/users/{user['id']}", json={"language": None})
    assert expect(reset, 200)["language"] is None
    assert (
        expect(admin.patch(f"/users/{user['id']}", json={"language": "nb"}), 200)["language"] == NB
    )
    refused = admin.patch(f"/users/{user['id']}", json={"language": "sv"})
    assert expect(refused, 422)["errors"]["json"]["language"] == ["Must be one of: nb, da."]
    default = admin.post(
        "/users",
        json={
            "username": "uten-sprak",
            "full_name": "Uten Språk",
            "role": "admin",
            "password": "Lang-Og-Sjelden-4471",
        },
    )
    assert expect(default, 201)["language"] is None


def test_me_tells_the_language_the_user_reads(world, as_user):
    api = as_user(world.facilitator)
    assert expect(api.get("/me"), 200)["language"] == NB  # the organisation's
    _set_language(world.org_a, Language.DANISH)
    assert expect(api.get("/me"), 200)["language"] == DA
    _set_language(world.facilitator, Language.NORWEGIAN_BOKMAL)
    assert expect(api.get("/me"), 200)["language"] == NB


def test_users_choose_their_own_language(world, as_plain):
    api = as_plain(world.facilitator)
    chosen = api.patch("/me", json={"language": "da"})
    assert expect(chosen, 200)["language"] == DA
    # From now on, Spire answers them in Danish when the request does not ask otherwise.
    refused = api.get("/users")
    assert expect(refused, 403)["message"] == "Din rolle giver ikke adgang til dette."
    back = api.patch("/me", json={"language": None})
    assert expect(back, 200)["language"] == NB  # the organisation's again
    assert back.headers["Content-Language"] == DA  # the request was answered as it began
    wrong = api.patch("/me", json={"language": "sv"}, headers={"Accept-Language": "en"})
    assert expect(wrong, 422)["errors"]["json"]["language"] == ["Must be one of: nb, da."]
    extra = api.patch("/me", json={"role": "admin"}, headers={"Accept-Language": "en"})
    assert expect(extra, 422)["errors"]["json"]["role"] == ["Unknown field."]


def test_the_login_answer_tells_the_language(world, plain):
    _set_language(world.org_a, Language.DANISH)
    UserFactory(organisation=world.org_a, username="mette", language=Language.DANISH)
    body = plain.post("/api/v1/auth/login", json={"username": "mette", "password": PASSWORD})
    assert expect(body, 200)["user"]["language"] == DA

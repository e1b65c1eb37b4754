"""Login, refresh, logout, token failures and throttling, through HTTP."""

import base64
import json
import statistics
import time
from datetime import timedelta

import pytest
import time_machine

from server import clock
from server.database import db
from tests.conftest import POSTGRES_URL, Api, expect, login
from tests.factories import PASSWORD, UserFactory


def _envelope_401(response):
    assert response.status_code == 401
    assert response.json["code"] == 401
    assert response.json["status"] == "Unauthorized"
    assert response.json["message"]


@pytest.fixture
def staff(world):
    return world.facilitator


def test_login_returns_tokens_and_user(client, staff, world):
    body = login(client, staff.username)
    assert set(body) == {"access_token", "refresh_token", "user"}
    assert body["user"] == {
        "id": str(staff.id),
        "username": staff.username,
        "full_name": staff.full_name,
        "role": "facilitator",
        "department_ids": [str(world.dept_a1.id)],
        "language": "nb",  # the organisation's: the user chose none
    }


def test_login_is_case_insensitive_on_username(client, staff):
    assert login(client, staff.username.upper())["user"]["id"] == str(staff.id)


def test_wrong_password_and_unknown_user_answer_alike(client, staff):
    wrong = client.post("/api/v1/auth/login", json={"username": staff.username, "password": "x"})
    unknown = client.post("/api/v1/auth/login", json={"username": "nobody", "password": "x"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json == unknown.json


@pytest.mark.parametrize("config_overrides", [{"SPIRE_PASSWORD_HASHING": "standard"}])
def test_unknown_user_takes_as_long_as_a_wrong_password(client, world):
    """With real argon2 costs, an unknown username is not answered measurably faster."""
    UserFactory(organisation=world.org_a, username="slow-hash")  # hashed with "standard"

    def timed(username):
        started = time.perf_counter()
        response = client.post(
            "/api/v1/auth/login", json={"username": username, "password": "wrong-pw"}
        )
        elapsed = time.perf_counter() - started
        assert response.status_code == 401, response.json  # refused by the password check
        return elapsed

    known = statistics.median(timed("slow-hash") for _ in range(3))
    unknown = statistics.median(timed("no-such-user") for _ in range(3))
    assert 0.5 < unknown / known < 2.0


def test_deactivated_user_cannot_log_in(client, world, as_user):
    admin = as_user(world.admin)
    assert admin.patch(f"/users/{world.facilitator.id}", json={"active": False}).status_code == 200
    response = client.post(
        "/api/v1/auth/login", json={"username": world.facilitator.username, "password": PASSWORD}
    )
    _envelope_401(response)


def test_me(client, staff):
    api = Api(client, login(client, staff.username)["access_token"])
    response = api.get("/me")
    assert response.status_code == 200
    assert response.json["username"] == staff.username
    assert response.headers["Cache-Control"] == "no-store"


def test_refresh_rotates_and_replay_revokes_the_whole_login(client, staff):
    first = login(client, staff.username)
    refresh = Api(client, first["refresh_token"]).post("/auth/refresh")
    assert refresh.status_code == 200
    assert set(refresh.json) == {"access_token", "refresh_token"}
    assert refresh.json["refresh_token"] != first["refresh_token"]
    assert Api(client, refresh.json["access_token"]).get("/me").status_code == 200

    replay = Api(client, first["refresh_token"]).post("/auth/refresh")
    _envelope_401(replay)
    # Every token of that login is dead now, the newest ones included.
    _envelope_401(Api(client, refresh.json["access_token"]).get("/me"))
    _envelope_401(Api(client, refresh.json["refresh_token"]).post("/auth/refresh"))
    _envelope_401(Api(client, first["access_token"]).get("/me"))


def test_replay_does_not_touch_other_logins(client, staff):
    phone = login(client, staff.username)
    laptop = login(client, staff.username)
    expect(Api(client, phone["refresh_token"]).post("/auth/refresh"), 200)
    # The replay ends the phone's login.
    expect(Api(client, phone["refresh_token"]).post("/auth/refresh"), 401)
    assert Api(client, laptop["access_token"]).get("/me").status_code == 200


def test_logout_ends_access_and_refresh_token(client, staff):
    tokens = login(client, staff.username)
    api = Api(client, tokens["access_token"])
    response = api.post("/auth/logout", json={"refresh_token": tokens["refresh_token"]})
    assert response.status_code == 204
    _envelope_401(api.get("/me"))
    _envelope_401(Api(client, tokens["refresh_token"]).post("/auth/refresh"))


def test_logout_without_body_also_ends_the_refresh_token(client, staff):
    tokens = login(client, staff.username)
    assert Api(client, tokens["access_token"]).post("/auth/logout").status_code == 204
    _envelope_401(Api(client, tokens["refresh_token"]).post("/auth/refresh"))


def test_deactivation_takes_effect_at_once(client, world, as_user):
    tokens = login(client, world.facilitator.username)
    admin = as_user(world.admin)
    expect(admin.patch(f"/users/{world.facilitator.id}", json={"active": False}), 200)
    _envelope_401(Api(client, tokens["access_token"]).get("/me"))
    _envelope_401(Api(client, tokens["refresh_token"]).post("/auth/refresh"))


def test_password_change_by_admin_ends_existing_logins(client, world, as_user):
    tokens = login(client, world.facilitator.username)
    response = as_user(world.admin).patch(
        f"/users/{world.facilitator.id}", json={"password": "Ny-Solsikke-Bolle-77"}
    )
    assert response.status_code == 200
    _envelope_401(Api(client, tokens["access_token"]).get("/me"))
    assert login(client, world.facilitator.username, "Ny-Solsikke-Bolle-77")


def test_access_token_expires_after_15_minutes(client, staff):
    with time_machine.travel(clock.now(), tick=False) as traveller:
        tokens = login(client, staff.username)
        api = Api(client, tokens["access_token"])
        traveller.shift(timedelta(minutes=14))
        assert api.get("/me").status_code == 200
        traveller.shift(timedelta(minutes=2))
        _envelope_401(api.get("/me"))
        # The refresh token still works and gives a fresh access token.
        fresh = Api(client, tokens["refresh_token"]).post("/auth/refresh")
        assert fresh.status_code == 200
        assert Api(client, fresh.json["access_token"]).get("/me").status_code == 200


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _parts(token: str) -> tuple[dict, dict, str]:
    header, payload, signature = token.split(".")
    pad = lambda s: s + "=" * (-len(s) % 4)  # noqa: E731
    return (
        json.loads(base64.urlsafe_b64decode(pad(header))),
        json.loads(base64.urlsafe_b64decode(pad(payload))),
        signature,
    )


def test_tampered_token_is_401(client, world):
    tokens = login(client, world.facilitator.username)
    header, payload, signature = _parts(tokens["access_token"])
    payload["sub"] = str(world.admin.id)  # try to become the admin
    forged = f"{_b64(header)}.{_b64(payload)}.{signature}"
    _envelope_401(Api(client, forged).get("/me"))


def test_alg_none_token_is_401(client, world):
    tokens = login(client, world.facilitator.username)
    header, payload, _ = _parts(tokens["access_token"])
    unsigned = f"{_b64({**header, 'alg': 'none'})}.{_b64(payload)}."
    _envelope_401(Api(client, unsigned).get("/me"))


def test_refresh_token_is_not_an_access_token(client, staff):
    tokens = login(client, staff.username)
    _envelope_401(Api(client, tokens["refresh_token"]).get("/me"))


def test_access_token_is_not_a_refresh_token(client, staff):
    tokens = login(client, staff.username)
    _envelope_401(Api(client, tokens["access_token"]).post("/auth/refresh"))


@pytest.mark.parametrize(
    "header",
    ["", "Bearer", "Bearer ", "Bearer not.a.jwt", "Basic dXNlcjpwYXNz", "bearer abc"],
)
def test_malformed_authorization_headers_are_401(client, staff, header):
    response = client.get("/api/v1/me", headers={"Authorization": header} if header else {})
    _envelope_401(response)


def test_token_from_another_secret_is_401(client, staff, app):
    from flask_jwt_extended import create_access_token

    app.config["JWT_SECRET_KEY"] = "another-secret-key-that-is-also-long-enough"
    forged = create_access_token(identity=str(staff.id), additional_claims={"sid": "x"})
    app.config["JWT_SECRET_KEY"] = app.config["SECRET_KEY"]
    _envelope_401(Api(client, forged).get("/me"))


class TestThrottling:
    def _fail(self, client, username, address="10.0.0.1"):
        return client.post(
            "/api/v1/auth/login",
            json={"username": username, "password": "wrong-password"},
            environ_base={"REMOTE_ADDR": address},
        )

    def test_account_is_throttled_after_five_failures(self, client, staff):
        for _ in range(5):
            assert self._fail(client, staff.username).status_code == 401
        response = self._fail(client, staff.username, address="10.0.0.2")
        assert response.status_code == 429
        assert response.json["code"] == 429
        assert 0 < int(response.headers["Retry-After"]) <= 900
        # The right password does not get through while the account is throttled.
        blocked = client.post(
            "/api/v1/auth/login", json={"username": staff.username, "password": PASSWORD}
        )
        assert blocked.status_code == 429

    def test_throttle_lifts_after_the_window(self, client, staff):
        with time_machine.travel(clock.now(), tick=False) as traveller:
            for _ in range(5):
                assert self._fail(client, staff.username).status_code == 401
            assert self._fail(client, staff.username).status_code == 429
            traveller.shift(timedelta(minutes=16))
            assert login(client, staff.username)

    def test_address_is_throttled_across_usernames(self, client, staff):
        for n in range(20):
            assert self._fail(client, f"guess{n}").status_code == 401
        assert self._fail(client, staff.username).status_code == 429
        # Another address is not affected.
        assert self._fail(client, staff.username, address="10.9.9.9").status_code == 401

    def test_success_resets_the_account_count(self, client, staff):
        for _ in range(4):
            assert self._fail(client, staff.username).status_code == 401
        assert login(client, staff.username)
        for _ in range(4):
            assert self._fail(client, staff.username).status_code == 401


# A Redis database of the run's own: CI runs the suite on SQLite and on PostgreSQL at once.
TEST_REDIS = f"redis://127.0.0.1:6379/{14 if POSTGRES_URL else 15}"


@pytest.mark.parametrize("config_overrides", [{"REDIS_URL": TEST_REDIS}])
def test_throttle_is_shared_through_redis(app, client, staff, database_url):
    """Two app instances (two workers) see the same failure counts through Redis."""
    import redis

    from server import create_app
    from tests.conftest import base_config

    redis.Redis.from_url(TEST_REDIS).flushdb()
    other_app = create_app({**base_config(database_url), "REDIS_URL": TEST_REDIS})
    other_worker = other_app.test_client()
    for worker in [client, other_worker] * 2 + [client]:
        response = worker.post(
            "/api/v1/auth/login", json={"username": staff.username, "password": "nope-nope"}
        )
        assert response.status_code == 401
    blocked = other_worker.post(
        "/api/v1/auth/login", json={"username": staff.username, "password": PASSWORD}
    )
    assert blocked.status_code == 429
    keys = redis.Redis.from_url(TEST_REDIS).keys("spire:*")
    assert keys and all(staff.username.encode() not in key for key in keys)
    with other_app.app_context():
        db.engine.dispose()


def test_parallel_guesses_cannot_slip_past_the_limit(app, staff):
    """Twenty wrong passwords at once against one account: only five are checked."""
    import threading

    statuses, barrier = [], threading.Barrier(20)

    def guess(n):
        client = app.test_client()
        barrier.wait()
        response = client.post(
            "/api/v1/auth/login",
            json={"username": staff.username, "password": f"guess-{n}"},
            environ_base={"REMOTE_ADDR": f"10.1.0.{n}"},
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(statuses) == [401] * 5 + [429] * 15

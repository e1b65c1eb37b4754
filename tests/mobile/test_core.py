"""The app's core against a real Spire: login, tokens that refresh themselves, the notice
feed that shows each notice once, and what happens without a network."""

import json

import pytest

from mobile.core.client import ApiError, Client, LoggedOut, Unreachable
from mobile.core.notices import NoticeFeed
from mobile.core.store import Store
from tests.e2e.conftest import free_port
from tests.mobile.conftest import a_call_due_now

FACILITATOR = ("tilrettelegger1", "Furu-Vaffel-2290")


@pytest.fixture
def client(demo_server, tmp_path):
    base, _, _ = demo_server
    return Client(base, Store(tmp_path / "spire.json"))


def test_login_is_remembered_and_a_spent_access_token_refreshes(client, tmp_path):
    user = client.login(*FACILITATOR)
    assert user["username"] == "tilrettelegger1"
    stored = json.loads((tmp_path / "spire.json").read_text())
    assert stored["user"]["full_name"] == "Ingrid Larsen"

    old_refresh = client.store.get("refresh_token")
    client.store.put(access_token="not-a-token")
    assert client.call("GET", "/me")["username"] == "tilrettelegger1"
    assert client.store.get("refresh_token") != old_refresh  # rotated

    # A fresh start of the app with the same folder is still logged in.
    again = Client(client.base_url, Store(tmp_path / "spire.json"))
    assert again.call("GET", "/me")["username"] == "tilrettelegger1"


def test_wrong_password_and_a_login_ended_elsewhere(client, demo_server, tmp_path):
    with pytest.raises(ApiError) as wrong:
        client.login("tilrettelegger1", "feil-passord")
    assert wrong.value.status == 401
    assert not isinstance(wrong.value, LoggedOut)

    client.login(*FACILITATOR)
    other_phone = Client(client.base_url, Store(tmp_path / "other.json"))
    other_phone.store.put(**{k: client.store.get(k) for k in ("access_token", "refresh_token")})
    other_phone.logout()
    with pytest.raises(LoggedOut):
        client.call("GET", "/me")
    assert client.store.get("refresh_token") is None


def test_no_network_is_unreachable_not_an_error_answer(tmp_path):
    client = Client(f"http://127.0.0.1:{free_port()}", Store(tmp_path / "spire.json"), timeout=2)
    with pytest.raises(Unreachable):
        client.login(*FACILITATOR)


def test_each_notice_is_new_once_even_after_a_restart(client, demo_server, tmp_path):
    base, _, access_log = demo_server
    name = a_call_due_now(base, access_log.parent / "instance")
    client.login(*FACILITATOR)
    feed = NoticeFeed(client, client.store)

    new = feed.poll()
    assert [n["text"] for n in new if name in n["text"]], new
    assert feed.recent[0]["text"] == new[-1]["text"]
    assert feed.poll() == []

    restarted = NoticeFeed(client, Store(tmp_path / "spire.json"))
    assert restarted.poll() == []
    assert [n["id"] for n in restarted.recent] == [n["id"] for n in feed.recent]

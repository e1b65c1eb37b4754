"""The app's core against a real Spire: login, tokens that refresh themselves, the notice
feed that shows each notice once, and what happens without a network."""

import json
import threading
from datetime import datetime

import pytest

from mobile.core.client import ApiError, BadAddress, Client, LoggedOut, Unreachable
from mobile.core.notices import OVERLAP, NoticeFeed
from mobile.core.store import Store
from tests.e2e.conftest import free_port
from tests.mobile.conftest import a_call_due_now

FACILITATOR = ("tilrettelegger1", "Furu-Vaffel-2290")


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.fixture
def client(phone_server, tmp_path):
    base, _, _ = phone_server
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


def test_wrong_password_and_a_login_ended_elsewhere(client, phone_server, tmp_path):
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
    for address in ("spire.example.no", "ftp://spire.example.no", "http://"):
        with pytest.raises(BadAddress):
            Client(address, Store(tmp_path / "spire.json"))


def test_two_threads_with_an_expired_token_refresh_it_once(client):
    """A poll and a tap at the same moment: the refresh token is used once, else the
    server would take the second use for a stolen token and end the login."""
    client.login(*FACILITATOR)
    client.store.put(access_token="expired")
    barrier = threading.Barrier(4)
    answers, errors = [], []

    def ask():
        barrier.wait()
        try:
            answers.append(client.call("GET", "/me")["username"])
        except Exception as error:  # noqa: BLE001 - collected and shown below
            errors.append(error)

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert answers == ["tilrettelegger1"] * 4
    assert client.call("GET", "/me")["username"] == "tilrettelegger1"  # still logged in


def test_each_notice_is_new_once_even_after_a_restart(client, phone_server, tmp_path):
    name = a_call_due_now(phone_server)
    client.login(*FACILITATOR)
    feed = NoticeFeed(client, client.store)

    new = feed.poll()
    assert [n["text"] for n in new if name in n["text"]], new
    assert feed.recent[0]["text"] == new[-1]["text"]
    # The next polls ask again for the last minutes (a late dispatcher is not missed): the
    # notice comes back from the server and is known by its id.
    cursor = client.store.get("notices_since")
    refetched = client.call(
        "GET", "/notifications", query={"since": (_at(cursor) - OVERLAP).isoformat()}
    )
    assert {n["id"] for n in refetched} >= {n["id"] for n in new}
    assert feed.poll() == []

    restarted = NoticeFeed(client, Store(tmp_path / "spire.json"))
    assert restarted.poll() == []
    assert [n["id"] for n in restarted.recent] == [n["id"] for n in feed.recent]
    assert len({n["id"] for n in restarted.recent}) == len(restarted.recent)

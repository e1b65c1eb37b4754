"""The Spire API over HTTP, as the phone uses it: login, tokens that refresh themselves,
conditional reads (``If-None-Match``), and errors in the API's one envelope turned into
exceptions the screens can word."""

import http.client
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import NamedTuple

from mobile.core.store import Store

API = "/api/v1"
TOKENS = ("access_token", "refresh_token")


class Unreachable(Exception):
    """No answer from Spire (no network, server down, a Wi-Fi login page): try later."""


class BadAddress(Exception):
    """The server address cannot be used (say ``spire.example.no`` without https://)."""


class ApiError(Exception):
    """An answer in the error envelope: ``status``, ``message`` and field ``errors``."""

    def __init__(self, status: int, body: dict | None):
        body = body if isinstance(body, dict) else {}
        super().__init__(body.get("message") or f"HTTP {status}")
        self.status = status
        self.message = body.get("message", "")
        self.errors = body.get("errors") or {}


class LoggedOut(ApiError):
    """The login has ended (logged out elsewhere, deactivated, refresh token spent)."""


def logged_in_user(store: Store) -> dict | None:
    """The user logged in on this phone (``/me``'s fields), None if nobody is."""
    user = store.get("user")
    return user if store.get("refresh_token") and isinstance(user, dict) else None


class Fetched(NamedTuple):
    """A read's answer: ``status`` 200 with the ``body``, or 304 (``body`` None) when the
    copy named by the ``etag`` sent is still good; ``etag`` is None if the server sent
    none."""

    status: int
    etag: str | None
    body: object


class Client:
    def __init__(self, base_url: str | None, store: Store, timeout: float = 10, clock=None):
        self.store = store
        self.timeout = timeout
        # The server's clock as its last answer told it (the phone's may be wrong).
        self.server_time: datetime | None = None
        # Told every answer's time, if given (``clock.Clock``).
        self.clock = clock
        # The language the app speaks: the server answers its messages in it.
        self.language: str | None = None
        # Told when the server says the login has ended (``session.Session`` wipes).
        self.on_ended: Callable[[], None] | None = None
        self._refreshing = threading.Lock()
        self._base_url: str | None = None
        if base_url is not None:
            self.base_url = base_url

    @property
    def base_url(self) -> str | None:
        return self._base_url

    @base_url.setter
    def base_url(self, address: str) -> None:
        """The server's address, ``https://spire.example.no``; BadAddress if unusable."""
        address = (address or "").strip().rstrip("/")
        try:
            parts = urllib.parse.urlsplit(address)
            usable = parts.scheme in ("http", "https") and parts.hostname
            parts.port  # noqa: B018 - raises for a port that is not a number
        except ValueError:
            usable = False
        if not usable:
            raise BadAddress(address)
        self._base_url = address

    def _send(self, method: str, path: str, body=None, token=None, query=None, headers=None):
        """(status, headers, JSON) of one request, as it came."""
        if self._base_url is None:
            raise BadAddress("")
        url = self._base_url + API + path
        if query:
            url += "?" + urllib.parse.urlencode({k: v for k, v in query.items() if v})
        request = urllib.request.Request(
            url,
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Accept": "application/json"},
        )
        if body is not None:
            request.add_header("Content-Type", "application/json")
        if self.language:
            request.add_header("Accept-Language", self.language)
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                status, headers, raw = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, headers, raw = error.code, error.headers, error.read()
        except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
            raise Unreachable(str(error)) from error
        except ValueError as error:  # a port that is not a number, say
            raise BadAddress(self._base_url) from error
        self._note_time(headers)
        try:
            answer = json.loads(raw) if raw else None
        except ValueError as error:
            # Not Spire answering: a Wi-Fi login page, a proxy's error page.
            raise Unreachable(f"HTTP {status}, not JSON") from error
        return status, headers, answer

    def _note_time(self, headers) -> None:
        try:
            self.server_time = parsedate_to_datetime(headers["Date"])
        except (KeyError, TypeError, ValueError):
            return
        if self.clock is not None and self.server_time.tzinfo is not None:
            self.clock.observe(self.server_time)

    def login(self, username: str, password: str) -> dict:
        status, _, body = self._send(
            "POST", "/auth/login", {"username": username, "password": password}
        )
        if status != 200:
            raise ApiError(status, body)
        self.store.put(
            access_token=body["access_token"],
            refresh_token=body["refresh_token"],
            user=body["user"],
        )
        return body["user"]

    def _refresh(self, spent_access: str) -> None:
        """New tokens for an expired access token, once however many threads ask: a second
        use of a refresh token would end the whole login."""
        with self._refreshing:
            if self.store.get("access_token") != spent_access:
                return  # another thread refreshed while this one waited
            token = self.store.get("refresh_token")
            if not token:
                raise LoggedOut(401, {"message": "Not logged in."})
            status, _, body = self._send("POST", "/auth/refresh", token=token)
            if status == 200:
                self.store.put(
                    access_token=body["access_token"], refresh_token=body["refresh_token"]
                )
                return
            if status != 401:
                raise ApiError(status, body)  # the login may well be fine: try again later
        raise self._ended(status, body)  # told outside the lock: the wipe may wait on others

    def _ended(self, status: int, body) -> LoggedOut:
        """The server has ended the login: the one place that learns it. The tokens are
        forgotten and ``on_ended`` told; the error to raise."""
        self.forget()
        if self.on_ended is not None:
            self.on_ended()
        return LoggedOut(status, body)

    def tokens(self) -> dict:
        return {name: self.store.get(name) for name in TOKENS}

    def forget(self) -> None:
        self.store.put(access_token=None, refresh_token=None, user=None)

    def _authorised(self, method: str, path: str, body=None, query=None, headers=None):
        """(status, headers, JSON) as the logged-in user; refreshes an expired access token
        once on the way, and raises for any error."""
        token = self.store.get("access_token")
        if not token:
            raise LoggedOut(401, {"message": "Not logged in."})
        answer = self._send(method, path, body, token, query, headers)
        if answer[0] == 401:
            self._refresh(token)
            token = self.store.get("access_token")
            if not token:  # ended in another thread meanwhile
                raise LoggedOut(401, {"message": "Not logged in."})
            answer = self._send(method, path, body, token, query, headers)
            if answer[0] == 401:
                raise self._ended(answer[0], answer[2])
        if answer[0] >= 400:
            raise ApiError(answer[0], answer[2])
        return answer

    def call(self, method: str, path: str, body=None, query=None):
        """The answer's JSON; refreshes an expired access token once on the way."""
        return self._authorised(method, path, body, query)[2]

    def fetch(self, path: str, query=None, etag: str | None = None) -> Fetched:
        """A GET that sends ``If-None-Match`` with ``etag`` (the copy the phone has)."""
        headers = {"If-None-Match": etag} if etag else None
        status, answered, body = self._authorised("GET", path, query=query, headers=headers)
        return Fetched(status, answered.get("ETag"), None if status == 304 else body)

    def every_page(self, path: str, query=None) -> list:
        """Every row of a paginated list, page by page (100 a page)."""
        rows: list = []
        for page in range(1, 1000):
            got = self.call("GET", path, query={**(query or {}), "page": page, "page_size": 100})
            rows += got or []
            if not got or len(got) < 100:
                break
        return rows

    def revoke(self, tokens: dict) -> None:
        """End a login on the server (logout), by the tokens it had."""
        if tokens.get("access_token") and self._base_url:
            self._send(
                "POST",
                "/auth/logout",
                {"refresh_token": tokens.get("refresh_token")},
                tokens["access_token"],
            )

    def logout(self) -> None:
        tokens = self.tokens()
        self.forget()
        try:
            self.revoke(tokens)
        except (ApiError, Unreachable):
            pass  # forgotten here either way; the login ends on the server when it expires

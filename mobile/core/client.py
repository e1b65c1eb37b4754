"""The Spire API over HTTP, as the phone uses it: login, tokens that refresh themselves,
and errors in the API's one envelope turned into exceptions the screens can word."""

import http.client
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime
from email.utils import parsedate_to_datetime

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


class Client:
    def __init__(self, base_url: str, store: Store, timeout: float = 10):
        self.base_url = base_url.rstrip("/")
        self.store = store
        self.timeout = timeout
        # The server's clock as its last answer told it (the phone's may be wrong).
        self.server_time: datetime | None = None
        # The language the app speaks: the server answers its messages in it.
        self.language: str | None = None
        self._refreshing = threading.Lock()
        parts = urllib.parse.urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise BadAddress(base_url)

    def _send(self, method: str, path: str, body=None, token=None, query=None):
        url = self.base_url + API + path
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
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                status, headers, raw = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, headers, raw = error.code, error.headers, error.read()
        except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
            raise Unreachable(str(error)) from error
        except ValueError as error:  # a port that is not a number, say
            raise BadAddress(self.base_url) from error
        self._note_time(headers)
        try:
            answer = json.loads(raw) if raw else None
        except ValueError as error:
            # Not Spire answering: a Wi-Fi login page, a proxy's error page.
            raise Unreachable(f"HTTP {status}, not JSON") from error
        return status, answer

    def _note_time(self, headers) -> None:
        try:
            self.server_time = parsedate_to_datetime(headers["Date"])
        except (KeyError, TypeError, ValueError):
            pass

    def login(self, username: str, password: str) -> dict:
        status, body = self._send(
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
            status, body = self._send("POST", "/auth/refresh", token=token)
            if status == 401:
                self.forget()
                raise LoggedOut(status, body)
            if status != 200:
                raise ApiError(status, body)  # the login may well be fine: try again later
            self.store.put(access_token=body["access_token"], refresh_token=body["refresh_token"])

    def tokens(self) -> dict:
        return {name: self.store.get(name) for name in TOKENS}

    def forget(self) -> None:
        self.store.put(access_token=None, refresh_token=None, user=None)

    def call(self, method: str, path: str, body=None, query=None):
        """The answer's JSON; refreshes an expired access token once on the way."""
        token = self.store.get("access_token")
        if not token:
            raise LoggedOut(401, {"message": "Not logged in."})
        status, answer = self._send(method, path, body, token, query)
        if status == 401:
            self._refresh(token)
            status, answer = self._send(method, path, body, self.store.get("access_token"), query)
            if status == 401:
                self.forget()
                raise LoggedOut(status, answer)
        if status >= 400:
            raise ApiError(status, answer)
        return answer

    def revoke(self, tokens: dict) -> None:
        """End a login on the server (logout), by the tokens it had."""
        if tokens.get("access_token"):
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

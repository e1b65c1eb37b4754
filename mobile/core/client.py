"""The Spire API over HTTP, as the phone uses it: login, tokens that refresh themselves,
and errors in the API's one envelope turned into exceptions the screens can word."""

import json
import urllib.error
import urllib.parse
import urllib.request

from mobile.core.store import Store

API = "/api/v1"


class Unreachable(Exception):
    """No answer from the server (no network, server down, timeout): try again later."""


class ApiError(Exception):
    """An answer in the error envelope: ``status``, ``message`` and field ``errors``."""

    def __init__(self, status: int, body: dict | None):
        body = body or {}
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

    @property
    def user(self) -> dict | None:
        return self.store.get("user")

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
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                raw = response.read()
                return response.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as error:
            raw = error.read()
            try:
                return error.code, json.loads(raw) if raw else None
            except ValueError:
                return error.code, None
        except (urllib.error.URLError, OSError, TimeoutError) as error:
            raise Unreachable(str(error)) from error

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

    def _refresh(self) -> None:
        token = self.store.get("refresh_token")
        if not token:
            raise LoggedOut(401, {"message": "Not logged in."})
        status, body = self._send("POST", "/auth/refresh", token=token)
        if status != 200:
            self.forget()
            raise LoggedOut(status, body)
        self.store.put(access_token=body["access_token"], refresh_token=body["refresh_token"])

    def forget(self) -> None:
        self.store.put(access_token=None, refresh_token=None, user=None)

    def call(self, method: str, path: str, body=None, query=None):
        """The answer's JSON; refreshes an expired access token once on the way."""
        if not self.store.get("access_token"):
            raise LoggedOut(401, {"message": "Not logged in."})
        status, answer = self._send(method, path, body, self.store.get("access_token"), query)
        if status == 401:
            self._refresh()
            status, answer = self._send(method, path, body, self.store.get("access_token"), query)
        if status == 401:
            self.forget()
            raise LoggedOut(status, answer)
        if status >= 400:
            raise ApiError(status, answer)
        return answer

    def logout(self) -> None:
        try:
            self.call("POST", "/auth/logout", {"refresh_token": self.store.get("refresh_token")})
        except (ApiError, Unreachable):
            pass  # the tokens are forgotten here either way
        self.forget()

"""A token signed with Spire's own key but with claims of the wrong shape is refused with
401 in the envelope wherever it is presented, never a 500."""

import jwt as pyjwt
import pytest

from tests.conftest import Api, login

MALFORMED = {
    "exp as a numeric string": {"exp": "9999999999"},
    "exp as a boolean": {"exp": True},
    "exp as a list": {"exp": [9999999999]},
    "exp missing": {"exp": None},
    "sub as a number": {"sub": 12},
    "sub as an object": {"sub": {"id": "x"}},
    "sid as a number": {"sid": 5},
    "sid not a uuid": {"sid": "not-a-uuid"},
    "type as a list": {"type": ["access"]},
    "nbf as a string": {"nbf": "0"},
    "iat as a string": {"iat": "0"},
    "jti as a number": {"jti": 7},
}


def forged(app, token: str, changes: dict) -> str:
    """``token`` with its claims changed, signed again with the app's own key."""
    key = app.config["JWT_SECRET_KEY"]
    claims = pyjwt.decode(token, key, algorithms=["HS256"])
    for name, value in changes.items():
        if value is None:
            claims.pop(name)
        else:
            claims[name] = value
    return pyjwt.encode(claims, key, algorithm="HS256")


def assert_refused(response) -> None:
    assert response.status_code == 401, response.get_data(as_text=True)
    assert response.json["code"] == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("changes", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_access_token_is_401(app, client, world, changes):
    tokens = login(client, world.facilitator.username)
    token = forged(app, tokens["access_token"], changes)
    assert_refused(Api(client, token).get("/me"))
    assert_refused(Api(client, token).post("/auth/logout"))


@pytest.mark.parametrize("changes", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_refresh_token_is_401(app, client, world, changes):
    tokens = login(client, world.facilitator.username)
    token = forged(app, tokens["refresh_token"], changes)
    assert_refused(Api(client, token).post("/auth/refresh"))
    # The genuine tokens still work: a refused forgery ends nothing.
    assert Api(client, tokens["access_token"]).get("/me").status_code == 200


def test_a_well_formed_token_signed_again_still_works(app, client, world):
    """The forging helper itself changes nothing when asked to change nothing."""
    tokens = login(client, world.facilitator.username)
    assert Api(client, forged(app, tokens["access_token"], {})).get("/me").status_code == 200

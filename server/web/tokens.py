"""The tokens a login session travels in. The login service opens, rotates and ends
sessions; the tokens that name a session are HTTP's, minted and read here (and verified on
every request in ``server.web.security``)."""

from collections.abc import Mapping

from flask_jwt_extended import create_access_token, create_refresh_token, decode_token

from server.models import AuthSession


def issue(session: AuthSession) -> dict[str, str]:
    """A new pair for the session: the access token and the refresh token, both naming it;
    the refresh token carries the session's current refresh id, spent by the next
    refresh."""
    identity = str(session.user_id)
    claims = {"sid": str(session.id)}
    return {
        "access_token": create_access_token(identity=identity, additional_claims=claims),
        "refresh_token": create_refresh_token(
            identity=identity, additional_claims={**claims, "jti": session.refresh_jti}
        ),
    }


def claims_of(token: str | None) -> Mapping | None:
    """The claims of a token Spire signed, expired or not; None for no token or one that
    does not verify."""
    if not token:
        return None
    try:
        return decode_token(token, allow_expired=True)
    except Exception:  # noqa: BLE001 - a token that does not decode is simply none
        return None

"""Login, refresh, logout and the caller's own account."""

from flask import request
from flask_jwt_extended import get_jwt, jwt_required

from server.extensions.smorest import BEARER, Blueprint
from server.resources.auth.schemas import (
    LoginResponseSchema,
    LoginSchema,
    LogoutSchema,
    MeSchema,
    MeUpdateSchema,
    TokensSchema,
)
from server.services import accounts
from server.web import tokens
from server.web.security import current_actor

blp = Blueprint("auth", __name__, url_prefix="/api/v1", description="Log in and out")


@blp.post("/auth/login")
@blp.arguments(LoginSchema)
@blp.response(200, LoginResponseSchema)
@blp.alt_response(401, description="Wrong username or password")
@blp.alt_response(429, description="Too many failures; see Retry-After")
def login(credentials):
    """Log in with username and password"""
    user, session = accounts.login(
        credentials["username"], credentials["password"], request.remote_addr or ""
    )
    return {**tokens.issue(session), "user": accounts.own_account(user)}


@blp.post("/auth/refresh")
@jwt_required(refresh=True)
@blp.doc(security=BEARER)
@blp.response(200, TokensSchema)
@blp.alt_response(401, description="Invalid, spent or revoked refresh token")
def refresh():
    """Swap a refresh token for new tokens (the old refresh token is spent)"""
    return tokens.issue(accounts.refresh(get_jwt(), request.remote_addr or ""))


@blp.post("/auth/logout")
@blp.login_required()
@blp.arguments(LogoutSchema, required=False)
@blp.response(204)
def logout(body):
    """End this login: the access token and its refresh token stop working"""
    accounts.logout(current_actor(), tokens.claims_of((body or {}).get("refresh_token")))


@blp.get("/me")
@blp.login_required()
@blp.response(200, MeSchema)
def me():
    """The caller's own account, with the language they read"""
    return accounts.get_own_account(current_actor())


@blp.patch("/me")
@blp.login_required()
@blp.arguments(MeUpdateSchema)
@blp.response(200, MeSchema)
def update_me(data):
    """Choose the language to read Spire in (null: the organisation's)"""
    return accounts.update_own_account(current_actor(), data)

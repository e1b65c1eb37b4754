"""Signing in and out of the office."""

from flask import Blueprint, flash, redirect, request, url_for

from server.office import session as office_session
from server.office.pages import page, safe_next
from server.services.common.errors import TooManyRequests, Unauthorized
from shared.i18n import gettext

bp = Blueprint("login", __name__)


@bp.get("/login")
def form():
    if office_session.current() is not None:
        return redirect(url_for("office.start.start"))
    return page("office/login.html", next=request.args.get("next", ""))


@bp.post("/login")
def sign_in():
    username = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    target = request.form.get("next", "")
    headers = {}
    if not username or not password:
        error, status = gettext("Write your username and your password."), 422
    else:
        try:
            office_session.sign_in(username, password)
        except Unauthorized as refused:
            error, status = str(refused.message), 401
        except TooManyRequests as wait:
            minutes = max(1, round(wait.retry_after / 60))
            error = gettext("Too many failed tries. Try again in %(minutes)d minutes.") % {
                "minutes": minutes
            }
            status, headers = 429, {"Retry-After": str(wait.retry_after)}
        else:
            return redirect(safe_next(target), 303)
    response = page("office/login.html", status, error=error, username=username, next=target)
    response.headers.update(headers)
    return response


@bp.post("/logout")
def sign_out():
    office_session.sign_out()
    flash(gettext("You have logged out."), "info")
    return redirect(url_for("office.login.form"), 303)

"""The survey page as part of the app: its route, its language, its security headers and
the texts its script shows."""

from flask import Blueprint, Flask, current_app, render_template, request

from server.services.surveys.answering import MAX_TEXT
from shared import i18n
from shared.i18n import N_

PREFIX = "/s"

survey_page = Blueprint(
    "survey_page",
    __name__,
    url_prefix=PREFIX,
    static_folder="../static/survey",
    static_url_path="/static",
)

# Scripts, styles and calls to Spire itself and nowhere else; no inline script or style;
# no framing; the page sends no Referer (its address is nobody's business).
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self'",
        "img-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}

# What the script shows, by the name it knows them by; rendered into the page in its
# language (the script itself holds no text).
SCRIPT_TEXTS = {
    # Translators: the label of 1 on a survey's scale from 1 to 5.
    "scaleLow": N_("Strongly disagree"),
    # Translators: the label of 5 on a survey's scale from 1 to 5.
    "scaleHigh": N_("Strongly agree"),
    "yes": N_("Yes"),
    "no": N_("No"),
    # Translators: under a survey's free-text answer, e.g. "12 of 2000 characters".
    "counter": N_("{count} of {max} characters"),
    # Translators: a button that takes back the choice made on one survey question.
    "clear": N_("Clear the answer"),
    # Translators: names a survey question in a list of errors, e.g. "Question 3".
    "question": N_("Question {number}"),
    "opening": N_("Opening the survey…"),
    "sending": N_("Sending…"),
    "noCode": N_("Type the code from your slip."),
    "unknown": N_(
        "We do not know that code. Check that it is typed as it stands on the slip, and try again."
    ),
    "used": N_(
        "This code has been used. Each code gives one answer. If you have not answered "
        "yourself, ask for a new code."
    ),
    "usedAfterRetry": N_(
        "The code is now used: your answers most likely arrived when you sent them a moment "
        "ago, even though the page did not hear back. Each code gives one answer."
    ),
    "closed": N_("The survey is not open: it has not started yet, or it has closed."),
    "throttled": N_(
        "Too many tries with unknown codes from here. Wait a few minutes and try again."
    ),
    "offlineLookup": N_("No contact with the server. Check the connection and try again."),
    "offlineSend": N_(
        "Your answers were not sent: no contact with the server. Nothing you chose or wrote "
        "is lost. Check the connection and send again."
    ),
    "failed": N_("Something went wrong. Try again in a moment."),
    "invalid": N_("Some answers need another look:"),
}


def page_language() -> str:
    """Bokmål or Danish as the browser asks, in its order of preference; else the
    server's language."""
    for tag, quality in request.accept_languages:
        language = i18n.best_match([tag]) if quality > 0 else None
        if language in i18n.CATALOGUED:
            return language
    return current_app.config.get("SPIRE_LANGUAGE", i18n.DEFAULT)


@survey_page.before_request
def speak_the_page_language():
    i18n.set_language(page_language())


@survey_page.after_request
def security_headers(response):
    response.headers.update(SECURITY_HEADERS)
    if request.endpoint != "survey_page.static":
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response


@survey_page.get("")
@survey_page.get("/")
def show():
    return _page(200)


@survey_page.get("/<path:anything>")
def elsewhere(anything):
    """A path under the page (a code typed into the address, say): the page itself, to
    type the code into, with a 404."""
    return _page(404)


def _page(status: int):
    texts = {name: i18n.gettext(text) for name, text in SCRIPT_TEXTS.items()}
    html = render_template("survey/page.html", lang=i18n.language(), texts=texts, max_text=MAX_TEXT)
    return html, status


def register_survey_page(app: Flask) -> None:
    # The templates' texts come from the catalogue (as the office's do).
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)
    app.register_blueprint(survey_page)

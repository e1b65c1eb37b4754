"""The language a request is answered in.

``Accept-Language`` first, in the caller's order of preference (``nn`` and ``no`` read as
bokmål); when it names none of Spire's languages, the authenticated user's own language,
else their organisation's; a request from nobody in particular gets the server's
(``SPIRE_LANGUAGE``, bokmål unless set). The choice becomes the language of the moment
(``shared.i18n``) for the whole request, so every text the request answers with, an error
envelope included, is in it, and ``Content-Language`` says which it is.

A login that fails is answered in the language the request asked for or the server's, never
in the language of the account named: the answer must not tell known usernames from
unknown ones.
"""

from flask import Flask, g, request

from shared import i18n

# Whether the request named one of Spire's languages itself (then the user's does not count).
_ASKED = "spire_language_asked"
_TOKEN = "spire_language_token"


def requested() -> str | None:
    """The first of Spire's languages that the request's Accept-Language names, by quality
    (a language with ``q=0`` is one the caller does not want)."""
    return i18n.best_match(tag for tag, quality in request.accept_languages if quality > 0)


def choose_for(user_language: str | None) -> None:
    """Once the caller is known: answer in their language (the user's, else their
    organisation's) unless the request asked for one of Spire's languages itself."""
    if g.get(_ASKED) or not user_language or user_language not in i18n.LANGUAGES:
        return
    i18n.set_language(user_language)


def register_language(app: Flask) -> None:
    default = app.config.get("SPIRE_LANGUAGE", i18n.DEFAULT)
    # Refuse to start without the compiled catalogues (CataloguesNotCompiled says how to
    # build them), rather than answer the first error with a bare 500.
    for language in i18n.CATALOGUED:
        i18n.translations(language)

    @app.before_request
    def negotiate():
        asked = requested()
        setattr(g, _ASKED, asked is not None)
        setattr(g, _TOKEN, i18n.set_language(asked or default))

    @app.after_request
    def content_language(response):
        response.headers["Content-Language"] = i18n.language()
        vary = response.headers.get("Vary", "")
        if "accept-language" not in vary.lower():
            response.headers["Vary"] = f"{vary}, Accept-Language" if vary else "Accept-Language"
        return response

    @app.teardown_request
    def back_to_default(_error=None):
        token = g.pop(_TOKEN, None)
        if token is None:
            return
        try:
            i18n.reset_language(token)
        except ValueError:  # set in another context: leave it to that context
            pass

"""What every office page uses: who is signed in, the department the page is about, forms
read by the API's own schemas, change forms merged with someone else's change, lists a page
at a time, and rendering."""

import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from math import ceil
from urllib.parse import urlsplit

import marshmallow as ma
from flask import g, make_response, render_template, request, session, url_for
from werkzeug.datastructures import MultiDict

from server.models import Department
from server.services.common.actor import Actor
from server.services.common.errors import Forbidden, Invalid
from server.services.organisation import list_departments
from server.services.storage.paging import Window
from shared.i18n import gettext, lazy_gettext
from shared.vocab import Role

PREFIX = "/office"
CHECK_FIELDS = lazy_gettext("Some fields need another look; see the messages beside them.")
# How many rows a list shows on one page.
PAGE_SIZE = 50
_DEPARTMENT = "department"
_WHOLE = re.compile(r"-?[0-9]{1,9}")


def actor() -> Actor:
    """The signed-in staff member (every office page but the login form has one)."""
    return g.spire_actor


def for_roles(*roles: Role) -> Callable:
    """A page only these roles may open; the others get the 403 page (and a security
    event), as from the API. The services check their own rules besides."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def checked(*args, **kwargs):
            if actor().role not in roles:
                raise Forbidden()
            return view(*args, **kwargs)

        return checked

    return decorate


def page(template: str, status: int = 200, **context):
    """The page rendered from ``template`` with ``context``."""
    return make_response(render_template(template, **context), status)


def read_form(schema: ma.Schema, *, partial: bool = False, form: MultiDict | None = None) -> dict:
    """The posted form (or ``form``: a GET form's ``request.args``, or a view's own
    reading of the posted one), read by an API schema:
    the same rules and the same messages as the API's. Only the schema's fields are read;
    an empty box is no value (None where the field takes one, so that emptying a box
    clears it); a field posted more than once (a hidden "false" before a checkbox, say)
    counts by its last value, a list field by all its non-empty values. A box holds text:
    "true" and "false" are read as the booleans, and whole numbers as numbers, where the
    field takes those (the API's fields refuse text). Invalid input raises ``Invalid`` with
    the errors by field."""
    form = request.form if form is None else form
    data = {}
    for name, field in schema.load_fields.items():
        key = field.data_key or name
        if key not in form:
            continue
        values = [value.strip() for value in form.getlist(key)]
        if isinstance(field, ma.fields.List):
            data[key] = [value for value in values if value]
        elif values[-1]:
            data[key] = _typed(field, values[-1])
        elif field.allow_none:
            data[key] = None
    try:
        return schema.load(data, partial=partial)
    except ma.ValidationError as error:
        raise Invalid(_flat(error.messages), CHECK_FIELDS) from None


def field_errors(error: Invalid) -> dict[str, list[str]]:
    """A refused form's errors by field as texts, for showing beside the boxes: a
    service's ``Invalid`` (whose list fields hold errors per item) as well as a schema's."""
    return _flat(error.field_errors or {})


def _typed(field: ma.fields.Field, text: str):
    """A box's text as the JSON value the field reads: a boolean or a whole number where
    the field takes one and the text is one; the text itself otherwise (the field then
    says what is wrong with it)."""
    if isinstance(field, ma.fields.Boolean) and text in ("true", "false"):
        return text == "true"
    if isinstance(field, ma.fields.Integer) and _WHOLE.fullmatch(text):
        return int(text)
    return text


def _flat(messages: dict) -> dict[str, list[str]]:
    """Field errors as one list of texts per field (a list field's per-item errors
    joined), for showing beside the boxes."""
    flat = {}
    for key, value in messages.items():
        if isinstance(value, dict):
            flat[key] = [str(text) for texts in value.values() for text in _texts(texts)]
        else:
            flat[key] = [str(text) for text in _texts(value)]
    return flat


def _texts(value) -> Iterable:
    if isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    else:
        yield value


def posted_boxes(fields: Iterable[str], prefix: str = "") -> dict[str, str]:
    """The boxes as posted, by field (a checkbox by its last value: the hidden "false" or
    "true"), without the spaces around them and with a text area's line ends as "\\n", so
    that a box sent back unchanged compares equal to what it held."""
    return {field: _box((request.form.getlist(prefix + field) or [""])[-1]) for field in fields}


def _box(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


@dataclass(frozen=True)
class Difference:
    """A box someone else changed while the form was open: what it held then, what is
    stored now, what this form says (each as a person reads it)."""

    field: str
    label: str
    opened: str
    stored: str
    yours: str
    you_changed: bool


@dataclass(frozen=True)
class Merge:
    """A change form read at one version and saved against it. The form carries each box's
    text as it was when opened (hidden ``original_<field>``), so that only the boxes the
    user changed are sent to the service (a partial update with the version). When someone
    else saved in between, the form comes back at the version stored now: the boxes this
    form changed keep what was typed, the others show what is stored now, and the boxes
    someone else changed are listed with what each held then, holds now and what saving
    again will do. Saving again then sends only this form's own changes."""

    PREFIX = "original_"

    fields: tuple[str, ...]
    originals: dict[str, str]
    typed: dict[str, str]

    @classmethod
    def posted(cls, fields: Iterable[str]) -> "Merge":
        """The posted form: the boxes of ``fields`` it showed (those it carries the
        original text of), as they were opened and as they are sent."""
        shown = tuple(field for field in fields if cls.PREFIX + field in request.form)
        return cls(shown, posted_boxes(shown, cls.PREFIX), posted_boxes(shown))

    def you_changed(self, field: str) -> bool:
        return field in self.fields and self.typed[field] != self.originals[field]

    @property
    def changed(self) -> list[str]:
        """The boxes the user changed: the only fields to send."""
        return [field for field in self.fields if self.you_changed(field)]

    def values(self, stored: dict[str, str]) -> dict[str, str]:
        """The boxes of the form shown again over ``stored`` (the box texts of the version
        stored now, for the boxes the form shows now): what was typed where this form
        changed a box, what is stored now elsewhere. ``stored`` is also what the form
        carries as its originals from then on."""
        return {
            field: self.typed[field] if self.you_changed(field) else _box(text)
            for field, text in stored.items()
        }

    def differences(
        self,
        stored: dict[str, str],
        labels: dict[str, str],
        shown: Callable[[str, str], str] = lambda field, text: text,
    ) -> list[Difference]:
        """The boxes someone else changed since the form was opened, in ``stored``'s
        order; ``shown(field, text)`` is a box's text as a person reads it (an option's
        name, a date written out)."""

        def readable(field: str, text: str) -> str:
            return shown(field, text) if text else gettext("(empty)")

        return [
            Difference(
                field=field,
                label=str(labels[field]),
                opened=readable(field, self.originals[field]),
                stored=readable(field, _box(text)),
                yours=readable(field, self.typed[field]),
                you_changed=self.you_changed(field),
            )
            for field, text in stored.items()
            if field in self.fields and _box(text) != self.originals[field]
        ]


def in_office(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")


def safe_next(target: str | None) -> str:
    """Where to go after signing in: an office page of this site, never another site."""
    if target and target.isprintable() and not target.startswith(("//", "/\\")):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and in_office(parts.path):
            return target
    return url_for("office.start.start")


# How many of the forms a browser sent lately it remembers (in its session cookie).
_SENT = "sent"
_SENT_KEPT = 20


def once_token() -> str:
    """A new form's own token (``macros.csrf``)."""
    return uuid.uuid4().hex


def already_sent(token: str | None) -> bool:
    """Whether this browser's form with this token was saved already: sent again (the
    back button, a second click after the first went through), it is not saved twice."""
    return bool(token) and token in session.get(_SENT, [])


def sent(token: str | None) -> None:
    """Remember a form that was saved (answered with a redirect)."""
    if token:
        session[_SENT] = [*session.get(_SENT, []), token][-_SENT_KEPT:]


def departments() -> list[Department]:
    """The departments the signed-in actor sees, by name."""
    items, _ = list_departments(actor(), {"active": True}, Window(0, 1000))
    return items


def chosen_department(visible: list[Department] | None = None) -> Department | None:
    """The department a page is about: the one asked for (``?department=``) if the actor
    sees it, else the one chosen last in this browser, else the first by name. None for an
    actor who sees none."""
    visible = departments() if visible is None else visible
    by_id = {str(department.id): department for department in visible}
    for wanted in (request.args.get(_DEPARTMENT), session.get(_DEPARTMENT)):
        if wanted in by_id:
            session[_DEPARTMENT] = wanted
            return by_id[wanted]
    return visible[0] if visible else None


def uuid_arg(name: str) -> uuid.UUID | None:
    """A query-string id, or None when absent or not an id."""
    try:
        return uuid.UUID(request.args.get(name, ""))
    except ValueError:
        return None


@dataclass(frozen=True)
class Pager:
    """Which page of a list is shown, and how many there are."""

    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.size))

    def url(self, number: int) -> str:
        """This page's address with another page number (the other arguments kept, as
        query arguments only: none may name the page's own path or url_for's options)."""
        query = {
            key: value
            for key, value in request.args.items(multi=True)
            if key not in request.view_args and key != "endpoint" and not key.startswith("_")
        }
        return url_for(request.endpoint, **request.view_args, **{**query, "page": number})


def one_page(list_page: Callable, *args, size: int = PAGE_SIZE, **kwargs) -> tuple[list, Pager]:
    """A service's ``list_page(..., window=...)`` for the page asked for (``?page=``)."""
    try:
        number = max(1, min(int(request.args.get("page", "1")), 100_000))
    except ValueError:
        number = 1
    items, total = list_page(*args, window=Window((number - 1) * size, size), **kwargs)
    return items, Pager(number, size, total)


def error_texts(value) -> list[str]:
    """Every message in a field's errors, however nested (a list's items, a nested
    schema's fields), in order."""
    if isinstance(value, dict):
        return [text for item in value.values() for text in error_texts(item)]
    if isinstance(value, list | tuple):
        return [text for item in value for text in error_texts(item)]
    return [str(value)]

"""What the office's templates may call besides Jinja's own: the texts and labels in the
language of the page, times in the organisation's time zone, the menu, links to a
participant."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from flask import Flask, current_app, g, request, url_for
from markupsafe import Markup, escape

from server.office.pages import actor, once_token
from server.services.common import scope
from shared import i18n, labels, vocab
from shared.i18n import N_
from shared.vocab import Role

EVERYONE = frozenset(Role)
LEADERS = frozenset({Role.LEADER, Role.ADMIN})
# The main menu: a page's endpoint, its name, who sees it. An area not built is left out.
MENU = (
    ("office.start.start", N_("Start"), EVERYONE),
    ("office.participants.index", N_("Participants"), EVERYONE),
    ("office.meetings.index", N_("Meetings"), LEADERS),
    ("office.surveys.index", N_("Surveys"), LEADERS),
    ("office.reports.index", N_("Reports"), LEADERS),
    ("office.admin.index", N_("Administration"), LEADERS),
)


# A participant's pages, as tabs: endpoint (taking ``participant_id``), name, who sees it.
PARTICIPANT_TABS = (
    ("office.participants.show", N_("Overview"), EVERYONE),
    ("office.plans.show", N_("Plan"), EVERYONE),
    ("office.attendance.month", N_("Attendance"), EVERYONE),
    ("office.participants.followups", N_("Follow-ups"), EVERYONE),
    ("office.participants.meetings", N_("Meetings"), EVERYONE),
    ("office.participants.access_log", N_("Access log"), LEADERS),
)


@dataclass(frozen=True)
class Tab:
    endpoint: str
    url: str
    text: str


@dataclass(frozen=True)
class MenuItem:
    url: str
    text: str
    current: bool


def office_menu() -> list[MenuItem]:
    role = actor().role
    here = (request.blueprint or "").split(".")[:2]
    return [
        MenuItem(url_for(endpoint), i18n.gettext(text), endpoint.split(".")[:2] == here)
        for endpoint, text, roles in MENU
        if role in roles and endpoint in current_app.view_functions
    ]


def participant_tab_links(participant) -> list[Tab]:
    role = actor().role
    return [
        Tab(endpoint, url_for(endpoint, participant_id=participant.id), i18n.gettext(text))
        for endpoint, text, roles in PARTICIPANT_TABS
        if role in roles and endpoint in current_app.view_functions
    ]


def timezone() -> ZoneInfo:
    """The organisation's time zone, once per request."""
    if "office_timezone" not in g:
        g.office_timezone = ZoneInfo(scope.organisation(actor()).timezone)
    return g.office_timezone


def local_time(moment: datetime | None, part: str = "both") -> str:
    """A stored moment as the organisation's clocks showed it: date and time, "date" or
    "time"."""
    if moment is None:
        return ""
    local = moment.astimezone(timezone())
    texts = i18n.texts()
    if part == "time":
        return texts.time(local)
    if part == "date":
        return texts.date(local.date(), "medium")
    return f"{texts.date(local.date(), 'medium')} {texts.time(local)}"


def label(value: StrEnum | str | None, enum: type[StrEnum] | None = None) -> str:
    if value is None:
        return ""
    return labels.label(i18n.texts(), value, enum)


def participant_link(participant) -> Markup:
    """The participant's name, linked to their page where the office has one."""
    name = escape(f"{participant.first_name} {participant.last_name}")
    if "office.participants.show" not in current_app.view_functions:
        return Markup(name)
    url = url_for("office.participants.show", participant_id=participant.id)
    return Markup(f'<a href="{escape(url)}">{name}</a>')


def register_templating(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)
    app.jinja_env.globals.update(
        texts=i18n.texts,
        language=i18n.language,
        label=label,
        vocab=vocab,
        local_time=local_time,
        office_menu=office_menu,
        participant_link=participant_link,
        participant_tab_links=participant_tab_links,
        once_token=once_token,
    )

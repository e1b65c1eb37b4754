"""Command line: ``flask --app server create-user | seed-demo | wakeups | security-events |
report``
(``db upgrade`` comes from Flask-Migrate)."""

import os
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from server.database import db
from server.services import accounts
from server.services.common.errors import ServiceError
from shared.i18n import speaking, texts
from shared.vocab import ReportFormat, Role, values


@click.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice(values(Role)), required=True)
@click.option("--department", "departments", multiple=True, help="Repeat for several.")
@click.option("--full-name", default=None)
@click.option("--organisation", default=None, help="Needed only when several exist.")
@with_appcontext
def create_user(username, role, departments, full_name, organisation):
    """Create a staff account; the password comes from SPIRE_PASSWORD or a prompt."""
    password = os.environ.get("SPIRE_PASSWORD") or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    # The command line speaks English, the services' refusals included.
    with speaking("en"):
        try:
            org = accounts.organisation_for_cli(organisation, current_app.config["SPIRE_TIMEZONE"])
            user = accounts.create_user_from_cli(
                org, username, Role(role), password, full_name or username, list(departments)
            )
            db.session.commit()
        except ServiceError as error:
            db.session.rollback()
            detail = error.field_errors or ""
            raise click.ClickException(f"{error.message} {detail}".strip()) from None
    click.echo(f"Created {user.role} {user.username} in {org.name}.")


@click.command("seed-demo")
@with_appcontext
def seed_demo():
    """Two demo organisations (a Norwegian café, a Danish workshop with groups), each with
    two departments, staff, participants and history."""
    from server.demo import DEMO_LOGINS, seed

    if current_app.config["SPIRE_ENV"] == "production":
        raise click.ClickException("seed-demo is not for production.")
    created = seed()
    click.echo("Demo data created." if created else "Demo data already present.")
    click.echo("Demo logins (username / password / role):")
    for username, password, role, departments in DEMO_LOGINS:
        click.echo(f"  {username:<16} {password:<20} {role:<12} {', '.join(departments)}")


@click.group("wakeups")
def wakeups_group():
    """Wake-up calls."""


@wakeups_group.command("dispatch")
@with_appcontext
def wakeups_dispatch():
    """Make today's calls and send what is due (safe to run every minute, and twice)."""
    from server.services import jobs

    report = jobs.dispatch()
    click.echo(
        f"queued {report.queued}, sent {report.sent}, deferred {report.deferred}, "
        f"failed {report.failed}"
    )


@click.group("security-events")
def security_events_group():
    """The security event log."""


@security_events_group.command("clear-addresses")
@click.option(
    "--days",
    type=click.IntRange(min=0),
    default=None,
    help="Clear addresses older than this (default: SPIRE_SECURITY_ADDRESS_DAYS).",
)
@with_appcontext
def security_events_clear_addresses(days):
    """Clear the addresses of events past their retention (run daily from cron)."""
    from server.services.common.security_events import clear_addresses

    days = current_app.config["SPIRE_SECURITY_ADDRESS_DAYS"] if days is None else days
    click.echo(f"Cleared the address of {clear_addresses(days)} events older than {days} days.")


@click.group("report")
def report_group():
    """The reports for NAV and grant givers, to a file, as a leader or admin would get
    them through the API (and logged as their export)."""


def report_options(*formats: ReportFormat):
    """The options every report takes: who makes it, the format and the file."""

    def decorate(command):
        for option in reversed(
            (
                click.option(
                    "--user",
                    "username",
                    required=True,
                    help="The leader or admin making it: their departments, their language, "
                    "their name in the access log.",
                ),
                click.option(
                    "--format",
                    "format_",
                    type=click.Choice([f.value for f in formats]),
                    default=formats[0].value,
                    show_default=True,
                ),
                click.option(
                    "--output",
                    "-o",
                    type=click.Path(dir_okay=False, writable=True),
                    default=None,
                    help="The file to write; the report's own name in this folder by default.",
                ),
            )
        ):
            command = option(command)
        return command

    return decorate


def write_report(username: str, format_: str, output: str | None, make, render) -> None:
    """Make a report as ``username`` (``make(actor)``) and write it as ``format_``, in the
    user's language; refusals end the command with their message."""
    from server.services import accounts

    try:
        actor = accounts.actor_for_cli(username)
        with speaking(actor.language):
            file = render(make(actor), ReportFormat(format_), texts(actor.language))
    except ServiceError as error:
        db.session.rollback()
        detail = error.field_errors or ""
        raise click.ClickException(f"{error.message} {detail}".strip()) from None
    path = Path(output or file.name)
    path.write_bytes(file.content)
    click.echo(f"Wrote {path} ({len(file.content)} bytes).")


@report_group.command("attendance")
@click.option("--department", required=True, help="Its name or id.")
@click.option("--from", "first_day", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--to", "last_day", required=True, type=click.DateTime(["%Y-%m-%d"]))
@report_options(ReportFormat.XLSX, ReportFormat.CSV, ReportFormat.PDF)
@with_appcontext
def report_attendance(department, first_day, last_day, username, format_, output):
    """Attendance of a department over a period (participants x days)."""
    from server.reports import attendance as files
    from server.services.common.scope import department_named
    from server.services.reports.attendance import attendance_report

    write_report(
        username,
        format_,
        output,
        lambda actor: attendance_report(
            actor, department_named(actor, department), first_day.date(), last_day.date()
        ),
        files.render,
    )


@report_group.command("meldeperiode")
@click.option("--participant", "participant_id", required=True, type=click.UUID, help="Their id.")
@click.option(
    "--period-start",
    "first_day",
    required=True,
    type=click.DateTime(["%Y-%m-%d"]),
    help="The Monday the 14-day period starts on.",
)
@report_options(ReportFormat.PDF, ReportFormat.XLSX, ReportFormat.CSV)
@with_appcontext
def report_meldeperiode(participant_id, first_day, username, format_, output):
    """A participant's NAV reporting period (meldeperiode), for the meldekort."""
    from server.reports import meldeperiode as files
    from server.services.reports.meldeperiode import meldeperiode

    write_report(
        username,
        format_,
        output,
        lambda actor: meldeperiode(actor, participant_id, first_day.date()),
        files.render,
    )


@report_group.command("progress")
@click.option("--participant", "participant_id", required=True, type=click.UUID, help="Their id.")
@click.option("--from", "first_day", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option("--to", "last_day", type=click.DateTime(["%Y-%m-%d"]), default=None)
@report_options(ReportFormat.PDF)
@with_appcontext
def report_progress(participant_id, first_day, last_day, username, format_, output):
    """A participant's progress report, or final report once they have ended."""
    from server.reports import progress as files
    from server.services.reports.progress import progress_report

    write_report(
        username,
        format_,
        output,
        lambda actor: progress_report(
            actor,
            participant_id,
            first_day.date() if first_day else None,
            last_day.date() if last_day else None,
        ),
        files.render,
    )


@report_group.command("statistics")
@click.option("--year", required=True, type=click.IntRange(min=2000), help="The calendar year.")
@click.option(
    "--department",
    default=None,
    help="Its name or id; without it, every department the user sees together.",
)
@report_options(ReportFormat.XLSX, ReportFormat.CSV, ReportFormat.PDF)
@with_appcontext
def report_statistics(year, department, username, format_, output):
    """Anonymous figures of a year beside the year before, counts under 3 suppressed."""
    from server.reports import statistics as files
    from server.services.common.scope import department_named
    from server.services.reports.statistics import statistics

    write_report(
        username,
        format_,
        output,
        lambda actor: statistics(
            actor, year, department_named(actor, department) if department else None
        ),
        files.render,
    )


COMMANDS = (create_user, seed_demo, wakeups_group, security_events_group, report_group)

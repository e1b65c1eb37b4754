"""The API's blueprints, registered in this order."""

from server.resources.answers import routes as answers
from server.resources.attendance import routes as attendance
from server.resources.audit import routes as audit
from server.resources.auth import routes as auth
from server.resources.departments import routes as departments
from server.resources.followups import routes as followups
from server.resources.groups import routes as groups
from server.resources.meetings import routes as meetings
from server.resources.organisation import routes as organisation
from server.resources.participants import routes as participants
from server.resources.plans import routes as plans
from server.resources.reports import routes as reports
from server.resources.service import routes as service
from server.resources.surveys import routes as surveys
from server.resources.sync import routes as sync
from server.resources.tallies import routes as tallies
from server.resources.users import routes as users
from server.resources.wakeups import routes as wakeups
from server.resources.worklists import routes as worklists

MODULES = (
    service,
    auth,
    organisation,
    departments,
    groups,
    users,
    participants,
    plans,
    attendance,
    wakeups,
    followups,
    meetings,
    tallies,
    surveys,
    answers,
    worklists,
    reports,
    sync,
    audit,
)

"""The office: the web pages where leaders and admins (and facilitators, for what their role
allows) do their part of the work in a browser, over the same services as the API.

Pages are rendered on the server (Jinja templates in ``server/templates/office``) with a
little progressive enhancement from one local script: a slow laptop gets a whole page in one
request, and every page works with the keyboard alone and without the script.

``site`` makes the office part of the app (the cookie session, CSRF, the security headers,
the error pages); ``session`` signs people in and out; ``pages`` holds what every page
module uses (rendering, forms, the department chosen). Each page module is one area of the
work, with a blueprint of its own, listed in ``MODULES``.
"""

from server.office import (
    admin,
    attendance,
    login,
    meetings,
    participants,
    plans,
    reports,
    start,
    surveys,
)

MODULES = (login, start, participants, plans, attendance, meetings, surveys, reports, admin)

"""The Norwegian (bokmål) message catalogue: every text Spire sends or shows to people.

Texts are looked up by key and filled with ``str.format`` fields; a missing field is an
error in the code, found by the tests that render every message.
"""

CATALOGUE: dict[str, str] = {
    # SMS to a participant at the wake-up time.
    "wakeup.sms": (
        "God morgen, {first_name}! Dette er vekkingen din fra {department}. "
        "Vi gleder oss til å se deg i dag."
    ),
    # Notices on the staff's phones.
    "wakeup.due": "Vekking: ring {name} nå ({phone}).",
    "wakeup.due_again": "Vekking: ring {name} igjen ({phone}), forsøk {attempt}.",
    "wakeup.home_visit": ("{name} har ikke svart på {count} vekkingsforsøk. Vurder hjemmebesøk."),
    # The meeting summary sent to the members of a responsibility group (PDF).
    "meeting.title": "Ansvarsgruppemøte for {name}",
    "meeting.subtitle": "Oppsummering til gruppens medlemmer",
    "meeting.when": "Tidspunkt",
    "meeting.where": "Sted",
    "meeting.status": "Status",
    "meeting.department": "Avdeling",
    "meeting.members": "Medlemmer",
    "meeting.no_members": "Ingen medlemmer er registrert.",
    "meeting.member_name": "Navn",
    "meeting.member_organisation": "Virksomhet",
    "meeting.member_role": "Rolle",
    "meeting.member_contact": "Kontakt",
    "meeting.agenda": "Saksliste",
    "meeting.decisions": "Vedtak og beslutninger",
    "meeting.no_decisions": "Ingen vedtak er registrert.",
    "meeting.actions": "Oppfølgingspunkter",
    "meeting.no_actions": "Ingen oppfølgingspunkter.",
    "meeting.action_description": "Hva",
    "meeting.action_responsible": "Ansvarlig",
    "meeting.action_due": "Frist",
    "meeting.action_state": "Status",
    "meeting.action_done": "Utført",
    "meeting.action_open": "Åpent",
    "meeting.next": "Neste møte",
    "meeting.no_next": "Ikke avtalt ennå.",
    "meeting.confidential": (
        "Fortrolig: inneholder personopplysninger. Skal bare deles med ansvarsgruppens medlemmer."
    ),
    "meeting.footer": "Laget i Spire {date} · side {page}",
    # The phone app.
    "app.title": "Spire",
    "app.login.heading": "Logg inn",
    "app.login.server": "Serveradresse",
    "app.login.username": "Brukernavn",
    "app.login.password": "Passord",
    "app.login.submit": "Logg inn",
    "app.login.busy": "Logger inn …",
    "app.login.failed": "Feil brukernavn eller passord.",
    "app.login.missing": "Fyll inn brukernavn og passord.",
    "app.login.bad_server": "Sjekk serveradressen (for eksempel https://spire.example.no).",
    "app.login.throttled": "For mange forsøk. Vent litt og prøv igjen.",
    "app.login.offline": "Får ikke kontakt med Spire. Sjekk nettet og prøv igjen.",
    "app.offline": "Får ikke kontakt med Spire. Vi prøver igjen om litt.",
    "app.server_error": "Spire svarer ikke som det skal akkurat nå. Vi prøver igjen om litt.",
    "app.logged_out": "Du er logget ut. Logg inn igjen.",
    "app.notices.heading": "Varsler",
    "app.notices.greeting": "Hei, {name}",
    "app.notices.empty": "Ingen varsler ennå.",
    "app.notices.new": "Nytt varsel",
    "app.notices.new_many": "{count} nye varsler",
    "app.notices.dismiss": "Lukk",
    "app.logout": "Logg ut",
}


def message(key: str, **fields) -> str:
    return CATALOGUE[key].format(**fields)

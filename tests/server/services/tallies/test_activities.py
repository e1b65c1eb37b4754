"""Every organisation starts with the default tally activities, named in its language:
made by the command line, by the demo, by the factories, and by the migration for the
organisations there were before it."""

import uuid

from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from server.database import db
from server.models import Organisation, TallyActivity
from server.services import tallies
from shared.vocab import Language
from tests import factories

NORWEGIAN = [
    "Innom-stikk",
    "NADA-øreakupunktur",
    "Støttesamtale",
    "Telefon/SMS/e-post",
    "Temakveld",
    "Følge/ansvarsgruppe",
    "Hjemmebesøk",
    "Samarbeidsmøte",
]
DANISH = [
    "Uanmeldt besøg",
    "NADA-øreakupunktur",
    "Støttesamtale",
    "Telefon/sms/e-mail",
    "Temaaften",
    "Ledsagelse/netværksgruppe",
    "Hjemmebesøg",
    "Samarbejdsmøde",
]
BEFORE_TALLIES = "1a15b49b400a"


def names(organisation_id) -> list[str]:
    return list(
        db.session.scalars(
            select(TallyActivity.name)
            .where(TallyActivity.organisation_id == organisation_id, TallyActivity.active)
            .order_by(TallyActivity.position)
        )
    )


def test_a_norwegian_organisation_starts_with_the_set_in_norwegian(app):
    organisation = factories.OrganisationFactory()
    assert names(organisation.id) == NORWEGIAN


def test_a_danish_organisation_starts_with_the_set_in_danish(app):
    organisation = factories.OrganisationFactory(language=Language.DANISH)
    assert names(organisation.id) == DANISH


def test_seeding_again_adds_nothing(app):
    organisation = factories.OrganisationFactory()
    assert tallies.seed_defaults(organisation) == []
    assert len(names(organisation.id)) == len(tallies.DEFAULT_ACTIVITIES)


def test_the_command_line_gives_a_new_organisation_the_set(runner, monkeypatch):
    monkeypatch.setenv("SPIRE_PASSWORD", "Lang-Og-Trygg-Frase-8")
    result = runner.invoke(args=["create-user", "kari", "--role", "admin"])
    assert result.exit_code == 0, result.output
    organisation = db.session.scalars(select(Organisation)).one()
    assert names(organisation.id) == NORWEGIAN


def test_the_demo_organisations_have_the_set_in_their_languages(runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    by_language = {
        organisation.language: names(organisation.id)
        for organisation in db.session.scalars(select(Organisation))
    }
    assert by_language == {Language.NORWEGIAN_BOKMAL: NORWEGIAN, Language.DANISH: DANISH}


def test_the_migration_seeds_the_organisations_there_were(app):
    db.session.remove()
    downgrade(revision=BEFORE_TALLIES)
    ids = {"nb": uuid.uuid4(), "da": uuid.uuid4()}
    with db.engine.begin() as connection:
        for language, organisation_id in ids.items():
            connection.execute(
                text(
                    "INSERT INTO organisations (id, name, timezone, country, language, "
                    "created_at, updated_at) VALUES (:id, :name, 'Europe/Oslo', :country, "
                    ":language, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                ),
                {
                    "id": organisation_id.hex if db.engine.name == "sqlite" else organisation_id,
                    "name": f"Before {language}",
                    "country": "NO" if language == "nb" else "DK",
                    "language": language,
                },
            )
    upgrade()
    assert names(ids["nb"]) == NORWEGIAN
    assert names(ids["da"]) == DANISH

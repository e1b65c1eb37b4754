"""Every organisation starts with the default tally activities, named in its language:
made by the command line, by the demo, by the factories, and by the migration for the
organisations there were before it."""

import uuid

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from server.database import db
from server.models import Organisation, TallyActivity
from server.services import tallies
from server.services.common.actor import Actor
from server.services.common.errors import Forbidden, NotFound
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


def actor_of(user) -> Actor:
    return Actor(
        user_id=user.id,
        organisation_id=user.organisation_id,
        role=user.role,
        department_ids=frozenset(department.id for department in user.departments),
        session_id=uuid.uuid4(),
    )


def test_moving_an_activity_swaps_it_with_its_neighbour_and_numbers_the_order(world):
    admin = actor_of(world.admin)
    activities = tallies.list_activities(admin)
    # Two activities left at one position by earlier edits still change places.
    activities[2].position = activities[1].position
    db.session.commit()
    ordered = [a.name for a in tallies.list_activities(admin)]
    moved = next(a for a in tallies.list_activities(admin) if a.name == ordered[2])
    tallies.move_activity(admin, moved.id, -1)
    after = tallies.list_activities(admin)
    assert [a.name for a in after] == [ordered[0], ordered[2], ordered[1], *ordered[3:]]
    assert [a.position for a in after] == list(range(1, len(after) + 1))
    tallies.move_activity(admin, after[0].id, -1)  # the first stays first
    assert tallies.list_activities(admin)[0].name == ordered[0]


def test_only_an_admin_moves_an_activity_of_their_own_organisation(world):
    activity = tallies.list_activities(actor_of(world.admin))[0]
    with pytest.raises(Forbidden):
        tallies.move_activity(actor_of(world.leader), activity.id, 1)
    with pytest.raises(NotFound):
        tallies.move_activity(actor_of(world.admin_b), activity.id, 1)

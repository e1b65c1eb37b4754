"""Spire API: the application factory."""

import os

from flask import Flask

from server import config as spire_config
from server.database import db
from server.extensions import api, jwt, migrate
from server.logs import configure_logging
from server.office.site import register_office
from server.survey_page.page import register_survey_page
from server.web.budget import register_request_budget
from server.web.errors import register_errorhandlers
from server.web.language import register_language
from server.web.rules import register_http_rules
from server.web.security import register_jwt_callbacks

MIGRATIONS = os.path.join(os.path.dirname(__file__), "migrations")


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(__name__, instance_path=os.environ.get("SPIRE_INSTANCE_PATH"))
    app.config.update(spire_config.load(app.instance_path, overrides))
    configure_logging(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    # First of the request hooks: whatever refuses a request answers in its language.
    register_language(app)
    register_http_rules(app)
    register_request_budget(app)
    register_office(app)
    register_survey_page(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS, render_as_batch=True, compare_type=True)
    jwt.init_app(app)
    register_jwt_callbacks(app)
    api.init_app(app)


def register_blueprints(app: Flask) -> None:
    from server.resources import MODULES

    for module in MODULES:
        api.register_blueprint(module.blp)


def register_commands(app: Flask) -> None:
    from server.cli import COMMANDS

    for command in COMMANDS:
        app.cli.add_command(command)

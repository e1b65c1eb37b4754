"""Flask extensions, created here once and bound to the app in ``create_app``."""

from flask_migrate import Migrate

from server.extensions.smorest import Api
from server.web.security import jwt

migrate = Migrate()
api = Api()

__all__ = ["api", "jwt", "migrate"]

"""Flask extensions, created here once and bound to the app in ``register_extensions``."""

from flask_jwt_extended import JWTManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

from server.extensions.smorest import Api
from server.models.base import Base

# Responses are serialised after the commit; expiring would reload every row one by one.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate()
jwt = JWTManager()
api = Api()

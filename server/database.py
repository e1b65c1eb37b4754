"""The database handle, in a module of its own that imports nothing of Spire's but the
models' base, so every layer can reach it without reaching each other."""

from flask_sqlalchemy import SQLAlchemy

from server.models.base import Base

# Responses are serialised after the commit; expiring would reload every row one by one.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})

"""HTTP shared by every resource. Importing it first puts marshmallow's and webargs' own
messages in Spire's catalogues (``messages``), before any schema is built."""

from server.web import messages  # noqa: F401

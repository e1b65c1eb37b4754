"""WSGI entry point: ``gunicorn -c docker/gunicorn.conf.py server.wsgi:app``."""

from server import create_app

app = create_app()

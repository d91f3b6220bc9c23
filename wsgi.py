"""Entry point for gunicorn: ``gunicorn wsgi:app``."""
from taskboard import create_app

app = create_app()

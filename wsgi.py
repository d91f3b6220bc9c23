"""Entry point for gunicorn: ``gunicorn wsgi:app``."""
import gc

from taskboard import create_app

app = create_app()
# Objects made at start-up live as long as the worker: keep them out of the garbage
# collector's full passes, which otherwise pause large pages now and then.
gc.freeze()

"""WSGI entry point for gunicorn: ``gunicorn linernotes.config.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

from linernotes.config.environment import load_env_file

load_env_file()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linernotes.config.settings")
application = get_wsgi_application()

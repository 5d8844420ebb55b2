"""WSGI entry point of the SOC example (for gunicorn and friends)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "soc.settings")
application = get_wsgi_application()

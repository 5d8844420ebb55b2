"""Settings of the SOC example. The finmark engine is the only store: Django needs no database."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "soc-example-not-for-production")
DEBUG = os.environ.get("DJANGO_DEBUG") == "1"
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]

INSTALLED_APPS = ["soc"]
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
ROOT_URLCONF = "soc.urls"
WSGI_APPLICATION = "soc.wsgi.application"
DATABASES: dict = {}
USE_TZ = True

#: The finmark storage URL and the Sigma rules it matches ingested events against.
FINMARK_URL = os.environ.get("FINMARK_URL", f"sqlite://{BASE_DIR / 'soc.db'}")
FINMARK_RULES = [str(BASE_DIR / "rules")]
#: Clients send `Authorization: Token <this>`.
FINMARK_API_TOKEN = os.environ.get("FINMARK_API_TOKEN", "change-me")

#!/usr/bin/env python3
"""Django's command line for the SOC example: `python manage.py runserver`, `python manage.py test`."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "soc.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)

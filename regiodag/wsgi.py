"""WSGI entry point for gunicorn: ``gunicorn regiodag.wsgi``."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regiodag.settings")

application = get_wsgi_application()

# Everything loaded so far (Django, the app, WeasyPrint: hundreds of thousands of objects)
# lives as long as the process. Left to the garbage collector, each of its full collections
# walked all of it: about 100 ms of a worker's CPU, several times a minute under load. Frozen,
# a collection only walks what requests created. With gunicorn --preload this runs in the
# master, before the workers are forked, so they all start frozen (and share those pages).
gc.freeze()

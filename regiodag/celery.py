"""The Celery application: Redis as broker, beat schedule in settings (CELERY_*)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regiodag.settings")

app = Celery("regiodag")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="regiodag.health")
def health():
    """Answered by any running worker; used to check that broker and worker are alive."""
    return "ok"

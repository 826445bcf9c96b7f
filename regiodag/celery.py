"""The Celery application: Redis as broker, beat schedule in settings (CELERY_*)."""

import logging
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regiodag.settings")

app = Celery("regiodag")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Tasks that run every second and would otherwise fill the worker's and beat's logs with
# "received", "succeeded" and "sending due task" lines.
QUIET_TASKS = (
    "registrations.tasks.hand_over_mails",
    "hand-over-mails",
    "registrations.tasks.hand_over_documents",
    "hand-over-documents",
)


class QuietRoutineTasks(logging.Filter):
    """Drop the INFO lines about routine tasks; their warnings and errors still show."""

    def filter(self, record):
        if record.levelno > logging.INFO:
            return True
        message = record.getMessage()
        return not any(name in message for name in QUIET_TASKS)


for logger_name in ("celery.beat", "celery.worker.strategy", "celery.app.trace"):
    logging.getLogger(logger_name).addFilter(QuietRoutineTasks())


@app.task(name="regiodag.health")
def health():
    """Answered by any running worker; used to check that broker and worker are alive."""
    return "ok"

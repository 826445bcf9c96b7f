"""What the test broker (a real Redis, CELERY_BROKER_URL) holds: tests read the tasks that
were published rather than replacing Celery's publishing with a fake."""

import base64
import json

import redis

from regiodag.celery import app as celery_app


def queued_tasks():
    """(task name, first argument) of every task waiting in the test broker's default queue."""
    broker = redis.Redis.from_url(celery_app.conf.broker_url)
    tasks = []
    for raw in broker.lrange("celery", 0, -1):
        message = json.loads(raw)
        args, _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
        tasks.append((message["headers"]["task"], args[0] if args else None))
    return tasks


def clear_queue():
    redis.Redis.from_url(celery_app.conf.broker_url).delete("celery")

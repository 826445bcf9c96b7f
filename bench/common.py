"""What the benchmarks that fill a database of their own share: its URL, Django, a fresh copy."""

import os
import sys
from urllib.parse import urlsplit, urlunsplit


def database_urls(name):
    """(the benchmark's database, the server's maintenance database) on DATABASE_URL's server."""
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/regiodag")
    parts = urlsplit(base)
    if not parts.scheme.startswith("postgres"):
        sys.exit("this benchmark needs a PostgreSQL DATABASE_URL")
    return urlunsplit(parts._replace(path=f"/{name}")), urlunsplit(parts._replace(path="/postgres"))


def setup_django(url):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regiodag.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def recreate_database(admin_url, name):
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def conference_with_registrations(count, *, slug, checked_in=0.0, all_holding=False):
    """Migrate, then one conference day (two rounds of five workshops) with ``count``
    registrations written in bulk (registrations.samples); returns the event."""
    from django.core.management import call_command

    from events.models import Organisation, Venue
    from registrations.samples import add_registrations
    from workshops.samples import make_conference

    call_command("migrate", verbosity=0)
    organisation = Organisation.objects.create(name="Benchmark", slug="bench")
    venue = Venue.objects.create(name="De Vasim", city="Nijmegen", address="Winselingseweg 41")
    event = make_conference(
        organisation,
        venue,
        capacity=None,
        workshop_capacity=count,
        per_round=5,
        slug=slug,
        title="De Ambtelijke Dag van de Regio's",
        workshop_title="Samenwerken met impact richting het Rijk, deel {round}.{index}",
    )
    add_registrations(event, count, checked_in=checked_in, all_holding=all_holding)
    return event

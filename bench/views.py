"""The least a Django form submission can cost: a page with a CSRF token, then one INSERT.

Same middleware, same database, same gunicorn as the real form, so the ratio between the
two measures what registering itself adds (form, locks, checks, rows, mail record).
"""

from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods

TABLE = "bench_baseline"


@require_http_methods(["GET", "POST"])
def baseline(request):
    if request.method == "POST":
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {TABLE} (name) VALUES (%s)", [request.POST.get("name", "")])  # noqa: S608
        return HttpResponseRedirect(request.path + "?klaar=1")
    return HttpResponse(
        format_html(
            '<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<input name="name"><button>OK</button></form>',
            get_token(request),
        )
    )

"""A request with a NUL character anywhere it could reach the database is refused with a 400.

PostgreSQL cannot store or even compare text holding NUL: its driver raises an error, which
would be a 500 on whatever page passed the value on (a filter in the address, a search, a
hidden field). No person types a NUL, so it is refused before any view runs, with Django's
400 page, rather than checked in every view and form. The path is left to the URL patterns:
their converters (token, slug, int) match no NUL, so such an address is a 404 ("no such
link"), as for any other altered personal link.
"""

from django.core.exceptions import BadRequest

NUL = "\x00"


def holds_nul(values):
    return any(NUL in value for value in values)


def query_values(query_dict):
    for key, values in query_dict.lists():
        yield key
        yield from (value for value in values if isinstance(value, str))


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            holds_nul(query_values(request.GET))
            or holds_nul(request.COOKIES.values())
            or (request.method == "POST" and holds_nul(query_values(request.POST)))
        ):
            raise BadRequest("NUL character in the request")
        return self.get_response(request)

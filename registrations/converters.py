"""The shape of a personal link's token in a URL.

Tokens are ``secrets.token_urlsafe`` strings: letters, digits, "-" and "_". A path with
anything else there (a NUL byte, a slash, spaces, other scripts) is no token and never
reaches a view or the database, whose drivers refuse some of those characters with an
error instead of "not found".
"""


class TokenConverter:
    regex = r"[A-Za-z0-9_-]{1,64}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value

"""A minimal browser stand-in over http.client: GET a form (CSRF cookie and token), POST it.

Shared by the benchmark and the concurrency test that fires real requests at a live server.
"""

import http.client
import re
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
STARTED = re.compile(rb'name="started" value="([^"]+)"')


class FormClient:
    """One visitor: keeps its own connection and cookies."""

    def __init__(self, base_url, timeout=30):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.timeout = timeout
        self.cookies = {}
        self.connection = None

    def _request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
                break
            except (http.client.HTTPException, ConnectionError):
                # A server may close a kept-alive connection between requests; reconnect once.
                self.connection.close()
                self.connection = None
                if attempt:
                    raise
        for header in response.msg.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.getheader("Location"), content

    def get_form(self, path):
        """The page and the hidden values a browser would send back."""
        status, _location, content = self._request("GET", path)
        hidden = {}
        for name, pattern in (("csrfmiddlewaretoken", TOKEN), ("started", STARTED)):
            match = pattern.search(content)
            if match:
                hidden[name] = match.group(1).decode()
        return status, content, hidden

    def post_form(self, path, data):
        body = urlencode(data, doseq=True)
        origin = f"http://{self.host}:{self.port}"
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": origin + path, "Origin": origin}
        return self._request("POST", path, body=body, headers=headers)

    def submit(self, path, data):
        """GET then POST, as a person does; returns (status, location, body, seconds for both)."""
        started = time.perf_counter()
        _status, _content, hidden = self.get_form(path)
        status, location, content = self.post_form(path, {**data, **hidden})
        return status, location, content, time.perf_counter() - started

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None

"""A cache backend that keeps Python objects as they are, in the memory of this process.

Django's local-memory cache pickles a value when it is stored and unpickles it on every
read, so that no caller can change what the next one gets. For the registration page, read
by every visitor of a crowd, that unpickling (an event with its venue, rounds and workshops)
cost more than the rest of serving the page. Values stored here are handed out as they
are, shared by every request of the process: they must be treated as read-only.

Like the local-memory cache it is per process: every web process keeps its own copy, which
is why only short-lived or fingerprinted values belong here (see registrations.form_page).
"""

import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache


class ObjectCache(BaseCache):
    def __init__(self, name, params):
        super().__init__(params)
        self._entries = {}
        self._lock = threading.Lock()

    def _live(self, key):
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires, _value = entry
        if expires is not None and expires <= time.time():
            self._entries.pop(key, None)
            return None
        return entry

    def get(self, key, default=None, version=None):
        # make_key, not make_and_validate_key: the validation only warns about keys that
        # memcached would refuse, and costs a loop over every character on every read.
        entry = self._live(self.make_key(key, version))
        return default if entry is None else entry[1]

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_key(key, version)
        expires = self.get_backend_timeout(timeout)
        with self._lock:
            if key not in self._entries and len(self._entries) >= self._max_entries:
                self._cull()
            self._entries[key] = (expires, value)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with self._lock:
            if self._live(self.make_key(key, version)) is not None:
                return False
        self.set(key, value, timeout, version)
        return True

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_key(key, version)
        with self._lock:
            entry = self._live(key)
            if entry is None:
                return False
            self._entries[key] = (self.get_backend_timeout(timeout), entry[1])
            return True

    def delete(self, key, version=None):
        with self._lock:
            return self._entries.pop(self.make_key(key, version), None) is not None

    def has_key(self, key, version=None):
        return self._live(self.make_key(key, version)) is not None

    def clear(self):
        with self._lock:
            self._entries.clear()

    def _cull(self):
        """Drop what has expired; if that is not enough, the oldest fraction (insertion order)."""
        now = time.time()
        for key in [k for k, (expires, _v) in self._entries.items() if expires is not None and expires <= now]:
            del self._entries[key]
        if len(self._entries) >= self._max_entries:
            share = len(self._entries) // self._cull_frequency if self._cull_frequency else len(self._entries)
            doomed = list(self._entries)[: max(1, share)]
            for key in doomed:
                del self._entries[key]

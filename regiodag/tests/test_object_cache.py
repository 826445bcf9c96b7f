"""The object cache hands out what was stored, unpickled, until it expires."""

import threading

import pytest

from regiodag.object_cache import ObjectCache


@pytest.fixture
def cache():
    return ObjectCache("test", {"OPTIONS": {"MAX_ENTRIES": 4}})


def test_hands_out_the_stored_object_itself(cache):
    value = {"event": object()}
    cache.set("snapshot", value, 60)
    assert cache.get("snapshot") is value
    assert cache.get("missing", "default") == "default"


def test_values_expire(cache, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr("regiodag.object_cache.time.time", lambda: now[0])
    cache.set("snapshot", "old", 2)
    now[0] += 1.9
    assert cache.get("snapshot") == "old"
    now[0] += 0.2
    assert cache.get("snapshot") is None
    assert not cache.has_key("snapshot")
    cache.set("forever", "kept", None)
    now[0] += 10**6
    assert cache.get("forever") == "kept"


def test_add_touch_delete_clear(cache):
    assert cache.add("key", 1, 60)
    assert not cache.add("key", 2, 60)
    assert cache.get("key") == 1
    assert cache.touch("key", 120)
    assert not cache.touch("other", 120)
    assert cache.delete("key")
    assert not cache.delete("key")
    cache.set_many({"a": 1, "b": 2}, 60)
    assert cache.get_many(["a", "b", "c"]) == {"a": 1, "b": 2}
    cache.clear()
    assert cache.get("a") is None


def test_stays_within_its_size(cache):
    for n in range(10):
        cache.set(f"key-{n}", n, 60)
    assert len(cache._entries) <= 4
    assert cache.get("key-9") == 9  # the newest stays


def test_concurrent_writers_keep_it_consistent(cache):
    def write(offset):
        for n in range(500):
            cache.set(f"key-{(offset + n) % 7}", n, 60)
            cache.get(f"key-{n % 7}")

    threads = [threading.Thread(target=write, args=(t,)) for t in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(cache._entries) <= 4

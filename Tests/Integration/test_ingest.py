"""Ingest through the official segment-analytics-python client, deduplication, and a crash mid-stream."""
import collections
import threading
import time
import uuid

import requests
from segment import analytics

from conftest import CicloServer
from helpers import all_events, post_batch


def test_official_python_client_every_call_type_and_a_burst(server):
    errors = []
    client = analytics.Client(server.write_key, host=server.url, on_error=lambda e, batch: errors.append(e),
                              upload_size=100, max_queue_size=50_000)
    client.identify("u-1", {"email": "Ada@Example.com", "name": "Ada"}, anonymous_id="anon-1", message_id="py-identify")
    client.track("u-1", "Order Completed", {"order_id": "o-1", "revenue": 42.5}, message_id="py-track")
    client.page("u-1", category="Docs", name="Setup", properties={"url": "https://x.example/setup"}, message_id="py-page")
    client.screen("u-1", category="App", name="Cart", message_id="py-screen")
    client.group("u-1", "acme", {"name": "Acme Inc"}, message_id="py-group")
    client.alias("anon-1", "u-1", message_id="py-alias")
    for i in range(10_000):
        client.track(f"user-{i % 100}", "Product Viewed", {"i": i}, message_id=f"burst-{i}")
    client.flush()
    client.join()
    assert not errors

    events = all_events(server)
    ids = collections.Counter(e["messageId"] for e in events)
    assert len(events) == 10_006
    assert max(ids.values()) == 1
    by_id = {e["messageId"]: e for e in events}
    assert by_id["py-identify"]["type"] == "identify"
    assert by_id["py-identify"]["traits"]["email"] == "Ada@Example.com"
    assert by_id["py-track"]["properties"]["revenue"] == 42.5
    assert by_id["py-page"]["name"] == "Setup" and by_id["py-page"]["type"] == "page"
    assert by_id["py-screen"]["type"] == "screen"
    assert by_id["py-group"]["groupId"] == "acme"
    assert by_id["py-alias"]["previousId"] == "anon-1" and by_id["py-alias"]["userId"] == "u-1"
    assert by_id["py-track"]["context"]["library"]["name"] == "analytics-python"
    assert by_id["burst-9999"]["properties"]["i"] == 9999


def test_the_same_batch_twice_stores_nothing_new(server):
    messages = [{"type": "track", "userId": "u", "event": "E", "messageId": f"dup-{i}"} for i in range(50)]
    assert post_batch(server, messages).json() == {"success": True}
    assert post_batch(server, messages).json() == {"success": True}
    assert len(all_events(server)) == 50


def test_bad_requests_never_take_the_server_down(sqlite_server):
    s = sqlite_server
    bad_bodies = [b"", b"{", b"[]", b"null", b'{"batch": 5}', b'{"batch": [1, "x", null]}', b"\xff\xfe\x00",
                  b'{"batch":[' + b"[" * 5000 + b"]" * 5000 + b"]}", b'{"userId": {"a": 1}, "event": "x"}']
    for body in bad_bodies:
        for path in ["/v1/track", "/v1/batch", "/v1/identify"]:
            r = requests.post(s.url + path, data=body, auth=(s.write_key, ""),
                              headers={"Content-Type": "application/json"})
            assert r.status_code in (200, 400), (path, body[:40], r.status_code)
            assert set(r.json()) >= ({"success"} if r.status_code == 200 else {"code", "message"})
    assert requests.get(s.url + "/health").status_code == 200


def sender(server, acked, stop, prefix):
    session = requests.Session()
    n = 0
    while not stop.is_set():
        ids = [f"{prefix}-{n}-{i}" for i in range(100)]
        n += 1
        body = {"batch": [{"type": "track", "anonymousId": "crash", "event": "Crash Test", "messageId": m} for m in ids]}
        try:
            r = session.post(server.url + "/v1/batch", json=body, auth=(server.write_key, ""), timeout=5)
        except requests.RequestException:
            return
        if r.status_code == 200:
            acked.extend(ids)


def test_every_acknowledged_event_survives_sigkill(database, workdir):
    server = CicloServer(database, workdir).start()
    acked, stop = [], threading.Event()
    threads = [threading.Thread(target=sender, args=(server, acked, stop, f"t{t}")) for t in range(4)]
    for t in threads:
        t.start()
    time.sleep(3)
    server.kill()
    stop.set()
    for t in threads:
        t.join()
    assert len(acked) > 1000, "the client got enough acknowledgements before the kill"

    restarted = CicloServer(database, workdir)
    restarted.write_key, restarted.admin_token = server.write_key, server.admin_token
    restarted.start()
    try:
        stored = collections.Counter(e["messageId"] for e in all_events(restarted, event="Crash Test"))
        missing = set(acked) - set(stored)
        assert not missing, f"{len(missing)} acknowledged events were lost"
        assert max(stored.values()) == 1
    finally:
        restarted.kill()


def test_sigterm_flushes_and_exits_cleanly(sqlite_server):
    messages = [{"type": "track", "userId": "u", "event": "Before Stop", "messageId": str(uuid.uuid4())} for _ in range(200)]
    assert post_batch(sqlite_server, messages).status_code == 200
    assert sqlite_server.stop() == 0

"""Several `ciclo serve` processes on one PostgreSQL (issue 21): two `api` nodes take events from the official Segment
client, a `worker` applies them; a worker stopped gracefully hands its leases over so the next one resumes at once."""
import collections
import time

import requests
from segment import analytics

from conftest import CicloServer, fresh_postgres_url
from helpers import all_events


def send(node, prefix, count, people=30):
    errors = []
    client = analytics.Client(node.write_key, host=node.url, on_error=lambda e, batch: errors.append(e), upload_size=50)
    for i in range(count):
        user = f"{prefix}-{i % people}"
        if i < people:
            client.identify(user, {"email": f"{user}@example.com"}, message_id=f"{prefix}-id-{i}")
        client.track(user, "Product Viewed", {"product_id": f"p{i % 7}"}, message_id=f"{prefix}-{i}")
    client.flush()
    client.join()
    assert not errors


def processed(node, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if node.admin("GET", "/api/v1/profiles/processing").json()["events"] == 0:
            return True
        time.sleep(0.1)
    return False


def test_two_api_nodes_and_a_worker_hand_over_on_a_graceful_stop(workdir):
    database = fresh_postgres_url()
    first = CicloServer(database, workdir, extra_args=["--role", "api"]).start()
    second = CicloServer(database, workdir, extra_args=["--role", "api"])
    second.write_key, second.admin_token = first.write_key, first.admin_token
    second.start()
    worker = CicloServer(database, workdir, extra_args=["--role", "worker"]).start()
    nodes = [first, second, worker]
    try:
        assert [requests.get(n.url + "/ready").json()["role"] for n in nodes] == ["api", "api", "worker"]
        assert requests.post(worker.url + "/v1/track", json={}).status_code == 404, "a worker takes no events"

        # Events through both API nodes; the worker applies all of them, each stored once.
        send(first, "a", 600)
        send(second, "b", 600)
        assert processed(first, 120)
        events = all_events(first)
        ids = collections.Counter(e["messageId"] for e in events)
        assert len(ids) == 1_260 and max(ids.values()) == 1
        profiles = first.admin("GET", "/api/v1/profiles", params={"q": "a-", "limit": 100}).json()["profiles"]
        assert len(profiles) == 30

        # A graceful stop gives the leases back: the next worker resumes at once, not after the 30 s lease.
        assert worker.stop() == 0
        successor = CicloServer(database, workdir, extra_args=["--role", "worker"]).start()
        nodes.append(successor)
        started = time.monotonic()
        send(second, "c", 200)
        assert processed(first, 20), "the new worker applied the events"
        assert time.monotonic() - started < 15, f"resumed after {time.monotonic() - started:.1f} s"
        assert len({e["messageId"] for e in all_events(first)}) == 1_260 + 230
    finally:
        for node in nodes:
            node.kill()

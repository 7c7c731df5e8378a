"""Journeys under a crash: SIGKILL during heavy processing, restart, and no step run twice, no message twice or lost."""
import collections
import threading
import time

import requests

from conftest import CicloServer
from helpers import post_batch

JOURNEY = {
    "key": "crash", "name": "Crash test", "trigger": {"event": "Crash Trigger"}, "entry": {"frequency": "once"},
    "start": "hello",
    "steps": {"hello": {"type": "message", "channel": "push", "template": "t", "next": "wait"},
              "wait": {"type": "wait", "duration": {"minutes": 1}, "next": "bye"},
              "bye": {"type": "message", "channel": "push", "template": "t"}},
}


def messages_at(stats, step):
    """Messages a step made, whatever became of them (the outbox's states: queued, sent, failed, suppressed, unknown)."""
    outcomes = stats["steps"].get(step, {})
    return sum(outcomes.get(state, 0) for state in ("queued", "sent", "failed", "suppressed", "unknown"))


def setup_journey(server):
    assert server.admin("PUT", "/api/v1/journeys/settings", json={"caps": [], "controlShare": 0}).status_code == 200
    assert server.admin("POST", "/api/v1/journeys", json=JOURNEY).status_code == 201
    assert server.admin("POST", "/api/v1/journeys/crash/activate").status_code == 200


def all_messages(server):
    return server.admin("GET", "/api/v1/outbox", params={"limit": 1000}).json()["messages"]


def test_sigkill_during_journey_processing_sends_each_message_once(database, workdir):
    server = CicloServer(database, workdir).start()
    setup_journey(server)
    users = [f"crash-{i}" for i in range(600)]

    def send():
        for start in range(0, len(users), 50):
            batch = [{"type": "track", "userId": u, "event": "Crash Trigger", "messageId": f"trigger-{u}"}
                     for u in users[start:start + 50]]
            try:
                post_batch(server, batch)
            except requests.RequestException:
                return
    sender = threading.Thread(target=send)
    sender.start()
    time.sleep(0.8)
    server.kill()
    sender.join()

    restarted = CicloServer(database, workdir)
    restarted.write_key, restarted.admin_token = server.write_key, server.admin_token
    restarted.start()
    try:
        # Send everything again: acknowledged triggers are deduplicated, the rest arrive now.
        for start in range(0, len(users), 100):
            batch = [{"type": "track", "userId": u, "event": "Crash Trigger", "messageId": f"trigger-{u}"}
                     for u in users[start:start + 100]]
            assert post_batch(restarted, batch).status_code == 200
        deadline = time.time() + 60
        while time.time() < deadline:
            stats = restarted.admin("GET", "/api/v1/journeys/crash").json()["stats"]
            if stats["entered"] == len(users) and messages_at(stats, "hello") == len(users):
                break
            time.sleep(0.3)
        stats = restarted.admin("GET", "/api/v1/journeys/crash").json()["stats"]
        assert stats["entered"] == len(users), "everyone entered once"
        assert messages_at(stats, "hello") == len(users), "the first step ran once per person"
        messages = [m for m in all_messages(restarted) if m["journey"] == "crash" and m["step"] == "hello"]
        per_person = collections.Counter(m["profileId"] for m in messages)
        assert len(per_person) == len(users) and max(per_person.values()) == 1, "one message per person, none lost"
    finally:
        restarted.kill()

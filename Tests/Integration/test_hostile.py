"""Issue 17 against a real `ciclo serve`: the events, traits and requests that used to kill the server, forge mail or
cross into other people's data, sent the way an attacker would (the official Segment client and raw HTTP with only
the public write key), with the background services running as in production."""
import json
import random
import time

import pytest
import requests
from segment import analytics

from channel_fakes import MailSink
from conftest import CicloServer
from helpers import post_batch

PROGRAM = {"pendingDays": 0, "rewards": [{"key": "5off", "name": "5 off", "cost": 500, "kind": "amount-off", "value": 5}]}


def alive(server):
    return server.process.poll() is None and requests.get(server.url + "/ready", timeout=5).status_code == 200


def member_balance(server, user):
    found = server.admin("GET", "/api/v1/profiles", params={"userId": user}).json()["profiles"]
    if not found:
        return None
    r = server.admin("GET", f"/api/v1/loyalty/members/{found[0]['id']}")
    return r.json()["account"]["balance"] if r.status_code == 200 else None


def test_an_order_of_1e19_is_refused_and_the_server_outlives_it_and_a_restart(server):
    assert server.admin("PUT", "/api/v1/loyalty/program", json=PROGRAM).status_code == 200
    r = requests.post(server.url + "/v1/track", auth=(server.write_key, ""),
                      json={"userId": "mia", "event": "Order Completed", "properties": {"order_id": "o-1", "revenue": 1e19}})
    assert r.status_code == 400 and r.json()["code"] == "number_out_of_range"
    errors = []
    client = analytics.Client(server.write_key, host=server.url, on_error=lambda e, batch: errors.append(e))
    client.track("mia", "Order Completed", {"order_id": "o-2", "products": [{"price": 1e308, "quantity": 1e308}]})
    client.track("mia", "Order Completed", {"order_id": "o-3", "products": [{"price": 1e12, "quantity": 1e6}] * 3})
    client.track("mia", "Order Completed", {"order_id": "o-4", "revenue": 120})
    client.flush()
    client.join()
    server.wait_processed()
    time.sleep(1)  # the loyalty hook, segments and journeys have run on these events
    assert alive(server), server.read_log()[-3000:]
    # The huge-but-sane order is capped at a trillion points (which lifts mia into the top tier, so 120 earns 1.5×).
    assert member_balance(server, "mia") - 1_000_000_000_000 in (120, 180), member_balance(server, "mia")
    rejected = server.admin("GET", "/api/v1/ingest/rejected").json()["rejected"]
    assert {x["code"] for x in rejected} == {"number_out_of_range"} and len(rejected) == 2
    r = server.admin("POST", "/api/v1/loyalty/simulate", json={"order": {"revenue": 1e19}})
    assert r.status_code == 400 and alive(server)

    # What stayed in the log is replayed by a restart without taking the server down again.
    assert server.stop() == 0
    server.start()
    time.sleep(2)
    assert alive(server), server.read_log()[-3000:]


@pytest.fixture
def mail_server(workdir):
    with MailSink() as sink:
        server = CicloServer(f"sqlite://{workdir}/ciclo.db", workdir, env={
            "CICLO_SMTP_URL": f"smtp://127.0.0.1:{sink.port}?starttls=none&connections=1",
            "CICLO_EMAIL_FROM": "Ciclo Shop <shop@example.com>"})
        server.start()
        assert server.admin("PUT", "/api/v1/journeys/settings", json={"caps": [], "controlShare": 0}).status_code == 200
        yield server, sink
        server.kill()


def test_no_trait_can_add_an_smtp_command_or_a_header(mail_server):
    server, sink = mail_server
    template = {"name": "Hello", "channel": "email", "parts": {"subject": "Hello {{ profile.name | default: \"there\" }}",
                                                              "html": "<p>Hi</p>", "text": "Hi"}}
    assert server.admin("PUT", "/api/v1/templates/hello", json=template).status_code == 200
    journey = {"key": "hello", "name": "Hello", "trigger": {"event": "Signed Up"}, "entry": {"frequency": "always"}, "start": "m",
               "steps": {"m": {"type": "message", "channel": "email", "template": "hello"}}}
    assert server.admin("POST", "/api/v1/journeys", json=journey).status_code == 201
    assert server.admin("POST", "/api/v1/journeys/hello/activate").status_code == 200
    smuggled = ("victim@example.com>\r\nRSET\r\nMAIL FROM:<boss@example.com>\r\nRCPT TO:<anyone@evil.example>\r\nDATA\r\n"
                "Subject: forged\r\n\r\nforged\r\n.\r\n")
    post_batch(server, [
        {"type": "identify", "userId": "victim", "traits": {"email": smuggled}},
        {"type": "identify", "userId": "ann", "traits": {"email": "ann@example.com", "name": "Victim\r\nBcc: spy@evil.example"}},
        {"type": "track", "userId": "victim", "event": "Signed Up"},
        {"type": "track", "userId": "ann", "event": "Signed Up"},
    ])
    messages = sink.wait(1)
    time.sleep(2)  # time for anything forged to arrive as well
    assert len(sink.messages) == 1, [m.rcpt_tos for m in sink.messages]
    envelope = sink.messages[0]
    assert envelope.rcpt_tos == ["ann@example.com"] and envelope.mail_from == "shop@example.com"
    head = envelope.content.split(b"\r\n\r\n", 1)[0].decode()
    lines = head.split("\r\n")
    assert not any(line.lower().startswith("bcc") for line in lines), lines
    assert all(line.startswith(" ") or ":" in line for line in lines), "every line is a header or its continuation"
    assert "forged" not in envelope.content.decode(errors="replace")
    subject = [line for line in head.split("\r\n") if line.lower().startswith("subject:")]
    assert len(subject) == 1 and "Hello Victim  Bcc: spy@evil.example" in subject[0], subject
    outbox = server.admin("GET", "/api/v1/outbox").json()["messages"]
    assert any(m["status"] == "suppressed" and "no email address" in (m["error"] or "") for m in outbox), outbox
    assert alive(server)


def hostile_values(rng):
    return rng.choice([1e19, -1e19, 1e308, "1e400", "nan", "inf", 2 ** 63, -(2 ** 63) - 1, "\u0000", "a\r\nb", "\u2028", "x" * 5000,
                       [], {}, [[[[[[]]]]]], None, True, "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2024-02-30", "<script>"])


def hostile_message(rng):
    keys = ["type", "event", "userId", "anonymousId", "messageId", "timestamp", "sentAt", "properties", "traits", "context", "groupId",
            "previousId", "name"]
    message = {"type": rng.choice(["track", "identify", "page", "screen", "group", "alias", "nope", 7]), "userId": f"u{rng.randint(0, 20)}"}
    for _ in range(rng.randint(1, 6)):
        key = rng.choice(keys)
        if key in ("properties", "traits", "context"):
            message[key] = {rng.choice(["revenue", "price", "quantity", "products", "email", "order_id", "\u0000", "a\"b"]): hostile_values(rng)
                            for _ in range(rng.randint(1, 4))}
        else:
            message[key] = hostile_values(rng)
    return message


def test_a_burst_of_hostile_tracking_calls_leaves_the_server_ready_and_processing(server):
    assert server.admin("PUT", "/api/v1/loyalty/program", json=PROGRAM).status_code == 200
    rng = random.Random(17)
    statuses = set()
    for _ in range(60):
        batch = [hostile_message(rng) for _ in range(rng.randint(1, 40))]
        body = json.dumps({"batch": batch}, allow_nan=True)
        r = requests.post(server.url + "/v1/batch", data=body, headers={"Content-Type": "application/json"}, auth=(server.write_key, ""))
        statuses.add(r.status_code)
        for path in ("/v1/track", "/v1/identify", "/v1/page"):
            r = requests.post(server.url + path, data=json.dumps(hostile_message(rng), allow_nan=True),
                              headers={"Content-Type": "application/json"}, auth=(server.write_key, ""))
            statuses.add(r.status_code)
    assert max(statuses) < 500, statuses
    requests.post(server.url + "/v1/track", auth=(server.write_key, ""),
                  json={"userId": "calm", "event": "Order Completed", "properties": {"order_id": "c1", "revenue": 700}})
    server.wait_processed()
    time.sleep(1)
    assert alive(server), server.read_log()[-3000:]
    assert member_balance(server, "calm") == 700

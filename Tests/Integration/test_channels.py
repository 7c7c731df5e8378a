"""Channels end to end with real peers: email through an SMTP server, SMS in Twilio's wire format, a signed
webhook, and web push decrypted here with an independent implementation."""
import base64
import email
import email.policy
import hashlib
import hmac
import json
import re
import time
import urllib.parse

import pytest
import requests
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from channel_fakes import MailSink, Recorder, SecureMailSink, twilio_respond
from conftest import CicloServer
from helpers import post_batch


@pytest.fixture
def channel_server(workdir):
    with MailSink() as sink:
        twilio = Recorder(twilio_respond)
        hooks = Recorder(lambda r: (200, {"ok": True}))
        push = Recorder(lambda r: (201, {}))
        server = CicloServer(f"sqlite://{workdir}/ciclo.db", workdir, env={
            "CICLO_SMTP_URL": f"smtp://127.0.0.1:{sink.port}?starttls=none",
            "CICLO_EMAIL_FROM": "Ciclo Shop <shop@example.com>",
            "CICLO_TWILIO_ACCOUNT_SID": "AC123", "CICLO_TWILIO_AUTH_TOKEN": "secret-token",
            "CICLO_TWILIO_FROM": "+15550001111", "CICLO_TWILIO_BASE_URL": twilio.url,
            # The fake push service and webhook receiver listen on loopback, which the egress policy refuses by default.
            "CICLO_EGRESS_ALLOW": "127.0.0.1",
        })
        server.env["CICLO_PUBLIC_URL"] = server.url
        server.start()
        no_rules(server)
        yield server, sink, twilio, hooks, push
        server.kill()
        for r in (twilio, hooks, push):
            r.close()


def no_rules(server):
    """No frequency caps, quiet hours or control group, so sends do not depend on the time of day."""
    assert server.admin("PUT", "/api/v1/journeys/settings", json={"caps": [], "controlShare": 0}).status_code == 200


def timeline(server, user):
    found = server.admin("GET", "/api/v1/profiles", params={"userId": user}).json()["profiles"]
    if not found:
        return []
    return server.admin("GET", f"/api/v1/profiles/{found[0]['id']}/events", params={"limit": 500}).json()["events"]


def wait_for(predicate, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    return predicate()


def profile_id(server, user):
    return wait_for(lambda: (server.admin("GET", "/api/v1/profiles", params={"userId": user}).json()["profiles"] or [{}])[0].get("id"))


def test_journey_email_through_smtp_with_tracking_and_one_click_unsubscribe(channel_server):
    server, sink, *_ = channel_server
    journey = {"key": "welcome", "name": "Welcome", "trigger": {"event": "Signed Up"}, "start": "hello",
               "steps": {"hello": {"type": "message", "channel": "email", "template": "welcome-1"}}}
    assert server.admin("POST", "/api/v1/journeys", json=journey).status_code == 201
    assert server.admin("POST", "/api/v1/journeys/welcome/activate").status_code == 200
    post_batch(server, [
        {"type": "identify", "userId": "ada", "traits": {"email": "ada@example.com", "first_name": "Ada"}},
        {"type": "track", "userId": "ada", "event": "Signed Up"},
    ])
    envelope = sink.wait(1)[0]
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert envelope.mail_from == "shop@example.com" and envelope.rcpt_tos == ["ada@example.com"]
    assert message["Subject"] == "Welcome, Ada!"
    assert message["From"].addresses[0].display_name == "Ciclo Shop"
    assert message["Message-ID"].startswith("<") and "@example.com>" in message["Message-ID"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = re.match(r"<(https?://[^>]+)>", message["List-Unsubscribe"]).group(1)
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Welcome aboard, Ada" in text and "Welcome aboard, Ada" in html
    clicks = re.findall(r'href="(' + re.escape(server.url) + r'/t/c/[^"]+)"', html)
    pixel = re.search(r'src="(' + re.escape(server.url) + r'/t/o/[^"]+)"', html).group(1)
    assert clicks, "shop links go through the click tracker"

    assert requests.get(pixel).status_code == 200
    redirect = requests.get(clicks[0], allow_redirects=False)
    assert redirect.status_code == 302
    destination = urllib.parse.urlparse(redirect.headers["Location"])
    assert destination.netloc == "shop.example.com"
    utm = urllib.parse.parse_qs(destination.query)
    assert utm["utm_source"] == ["ciclo"] and utm["utm_campaign"] == ["welcome"] and utm["utm_content"] == ["welcome-1"]
    forged = clicks[0][:-3] + ("AAA" if not clicks[0].endswith("AAA") else "BBB")
    assert requests.get(forged, allow_redirects=False).status_code == 404
    assert requests.get(server.url + "/t/o/not-a-token.gif").status_code == 404

    names = wait_for(lambda: {e.get("event") for e in timeline(server, "ada")} >= {"Email Opened", "Email Link Clicked", "Message Sent"}
                     and {e.get("event") for e in timeline(server, "ada")})
    assert {"Email Opened", "Email Link Clicked", "Message Sent", "Email Delivered"} <= names
    opened = [e for e in timeline(server, "ada") if e.get("event") == "Email Opened"][0]
    assert opened["properties"]["journey"] == "welcome" and opened["properties"]["step"] == "hello"
    assert len([e for e in timeline(server, "ada") if e.get("event") == "Email Opened"]) == 1, "the forged pixel recorded nothing"

    page = requests.get(unsubscribe)
    assert page.status_code == 200 and "Unsubscribe" in page.text
    one_click = requests.post(unsubscribe, data="List-Unsubscribe=One-Click",
                              headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert one_click.status_code == 200 and "will not get" in one_click.text
    queued = server.admin("POST", "/api/v1/messages", json={"profileId": profile_id(server, "ada"), "template": "welcome-2"})
    assert queued.status_code == 202
    status = wait_for(lambda: [m["status"] for m in server.admin("GET", "/api/v1/outbox").json()["messages"] if m["template"] == "welcome-2"
                               and m["status"] != "queued" and m["status"] != "sending"])
    assert status == ["suppressed"]
    time.sleep(0.5)
    assert len(sink.messages) == 1, "nothing more reached the SMTP server after the unsubscribe"
    consents = server.admin("GET", f"/api/v1/profiles/{profile_id(server, 'ada')}/consents").json()["consents"]
    assert {"channel": "email", "topic": "*", "status": "unsubscribed"}.items() <= consents[0].items()


def test_email_over_starttls_with_auth_and_a_private_ca(workdir):
    with SecureMailSink(workdir, "mailer", "p@ss w0rd") as sink:
        ca = f"{workdir}/ca.pem"
        server = CicloServer(f"sqlite://{workdir}/ciclo.db", workdir, env={
            "CICLO_SMTP_URL": f"smtp://mailer:p%40ss%20w0rd@localhost:{sink.port}?starttls=required&ca={ca}",
            "CICLO_EMAIL_FROM": "shop@example.com",
        })
        server.start()
        try:
            no_rules(server)
            post_batch(server, [{"type": "identify", "userId": "tess", "traits": {"email": "tess@example.com", "first_name": "Tess"}}])
            queued = server.admin("POST", "/api/v1/messages", json={"profileId": profile_id(server, "tess"), "template": "welcome-1"})
            assert queued.status_code == 202
            assert sink.wait(1), server.admin("GET", "/api/v1/outbox").json()["messages"][0]["error"]
            assert sink.messages[0].rcpt_tos == ["tess@example.com"]
            assert sink.sessions == [{"tls": True, "login": b"mailer"}], "the message went over TLS after AUTH"
        finally:
            server.kill()


def test_wrong_smtp_password_keeps_the_message_queued_for_retry(workdir):
    with SecureMailSink(workdir, "mailer", "right") as sink:
        server = CicloServer(f"sqlite://{workdir}/ciclo.db", workdir, env={
            "CICLO_SMTP_URL": f"smtp://mailer:wrong@localhost:{sink.port}?starttls=required&ca={workdir}/ca.pem",
            "CICLO_EMAIL_FROM": "shop@example.com",
        })
        server.start()
        try:
            no_rules(server)
            post_batch(server, [{"type": "identify", "userId": "uma", "traits": {"email": "uma@example.com"}}])
            server.admin("POST", "/api/v1/messages", json={"profileId": profile_id(server, "uma"), "template": "welcome-1"})
            message = wait_for(lambda: [m for m in server.admin("GET", "/api/v1/outbox").json()["messages"] if m["error"]])
            assert message, server.admin("GET", "/api/v1/outbox").json()["messages"]
            assert message[0]["status"] == "queued" and "535" in (message[0].get("error") or ""), message
            assert not sink.messages
        finally:
            server.kill()


def test_sms_in_twilio_wire_format_with_signed_status_callbacks(channel_server):
    server, _, twilio, *_ = channel_server
    post_batch(server, [{"type": "identify", "userId": "sam", "traits": {"phone": "+39 333 123 4567", "first_name": "Sam"}}])
    pid = profile_id(server, "sam")
    refused = server.admin("POST", "/api/v1/messages", json={"profileId": pid, "template": "cart-sms"})
    assert refused.status_code == 202
    assert wait_for(lambda: [m for m in server.admin("GET", "/api/v1/outbox").json()["messages"] if m["status"] == "suppressed"])
    assert not twilio.requests, "no SMS without an opt-in"

    assert server.admin("PUT", f"/api/v1/profiles/{pid}/consents", json={"channel": "sms", "status": "subscribed"}).status_code == 200
    server.admin("POST", "/api/v1/messages", json={"profileId": pid, "template": "cart-sms"})
    request = twilio.wait(1)[0]
    form = urllib.parse.parse_qs(request["body"].decode())
    assert form["To"] == ["+393331234567"] and form["From"] == ["+15550001111"]
    assert form["Body"][0].startswith("default: your cart is waiting")
    assert form["StatusCallback"] == [server.url + "/hooks/twilio/status"]
    sid = "SM4"
    assert wait_for(lambda: [m for m in server.admin("GET", "/api/v1/outbox").json()["messages"] if m["status"] == "sent"])

    callback = {"MessageSid": sid, "MessageStatus": "delivered", "To": "+393331234567"}
    data = server.url + "/hooks/twilio/status" + "".join(k + callback[k] for k in sorted(callback))
    signature = base64.b64encode(hmac.new(b"secret-token", data.encode(), hashlib.sha1).digest()).decode()
    bad = requests.post(server.url + "/hooks/twilio/status", data=callback, headers={"X-Twilio-Signature": "forged"})
    assert bad.status_code == 403
    good = requests.post(server.url + "/hooks/twilio/status", data=callback, headers={"X-Twilio-Signature": signature})
    assert good.status_code == 204
    assert wait_for(lambda: [e for e in timeline(server, "sam") if e.get("event") == "SMS Delivered"])


def test_webhook_step_is_signed(channel_server):
    server, _, _, hooks, _ = channel_server
    journey = {"key": "hook", "name": "Hook", "trigger": {"event": "Order Completed"}, "start": "call",
               "steps": {"call": {"type": "webhook", "url": hooks.url + "/ciclo"}}}
    assert server.admin("POST", "/api/v1/journeys", json=journey).status_code == 201
    server.admin("POST", "/api/v1/journeys/hook/activate")
    post_batch(server, [{"type": "track", "userId": "hank", "event": "Order Completed", "properties": {"order_id": "o9", "revenue": 12}}])
    request = hooks.wait(1)[0]
    body = json.loads(request["body"])
    assert body["type"] == "journey.webhook" and body["journey"] == "hook" and body["event"]["order_id"] == "o9"
    timestamp = request["headers"]["x-ciclo-timestamp"]
    assert abs(int(timestamp) - time.time()) < 60
    secret = server.admin("GET", "/api/v1/workspace").json()["webhookSigningSecret"]
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + request["body"], hashlib.sha256).hexdigest()
    assert request["headers"]["x-ciclo-signature"] == "v1=" + expected



def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_web_push_payload_decrypts_with_an_independent_implementation(channel_server):
    server, _, _, _, push = channel_server
    browser_key = ec.generate_private_key(ec.SECP256R1())
    browser_public = browser_key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    auth_secret = b"0123456789abcdef"
    post_batch(server, [{"type": "identify", "userId": "pia", "traits": {"first_name": "Pia"}}])
    pid = profile_id(server, "pia")
    subscription = {"endpoint": push.url + "/push/abc", "keys": {
        "p256dh": base64.urlsafe_b64encode(browser_public).decode().rstrip("="),
        "auth": base64.urlsafe_b64encode(auth_secret).decode().rstrip("=")}}
    r = requests.post(server.url + "/v1/push/subscribe", json={"userId": "pia", "subscription": subscription}, auth=(server.write_key, ""))
    assert r.status_code == 403 and r.json()["code"] == "user_signature_required", "an unsigned userId could route anyone's pushes here"
    # As the shop's backend signs it: hex HMAC-SHA256 of "userId.expires" under the storefront secret.
    secret = server.admin("GET", "/api/v1/workspace").json()["storefrontSigningSecret"]
    expires = int(time.time()) + 600
    signature = hmac.new(secret.encode(), f"pia.{expires}".encode(), hashlib.sha256).hexdigest()
    r = requests.post(server.url + "/v1/push/subscribe", json={"userId": "pia", "expires": expires, "signature": signature,
                                                               "subscription": subscription}, auth=(server.write_key, ""))
    assert r.status_code == 200, r.text
    vapid_public = requests.get(server.url + "/v1/push/vapid-public-key", auth=(server.write_key, "")).json()["publicKey"]
    template = {"name": "Push hello", "channel": "push", "parts": {"title": "Hi {{ traits.first_name | default: \"you\" }}",
                                                                   "body": "Your cart misses you", "url": "https://shop.example.com/cart"}}
    assert server.admin("PUT", "/api/v1/templates/push-hello", json=template).status_code == 200
    server.admin("POST", "/api/v1/messages", json={"profileId": pid, "template": "push-hello"})
    request = push.wait(1)[0]
    assert request["headers"]["content-encoding"] == "aes128gcm"

    # VAPID: the JWT is signed by the key the server publishes, for this push service's origin.
    token, key = re.match(r"vapid t=([^,]+), k=(\S+)", request["headers"]["authorization"]).groups()
    assert key == vapid_public
    header, claims, signature = token.split(".")
    assert json.loads(b64url_decode(claims))["aud"] == push.url
    raw = b64url_decode(signature)
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(vapid_public))
    public.verify(encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")),
                  f"{header}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))

    # RFC 8291 decryption, written from the RFC.
    body = request["body"]
    salt, record_size, key_length = body[:16], int.from_bytes(body[16:20], "big"), body[20]
    server_public = body[21:21 + key_length]
    ciphertext = body[21 + key_length:]
    assert record_size == 4096 and key_length == 65
    shared = browser_key.exchange(ec.ECDH(), ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), server_public))
    ikm = HKDF(hashes.SHA256(), 32, auth_secret, b"WebPush: info\x00" + browser_public + server_public).derive(shared)
    cek = HKDF(hashes.SHA256(), 16, salt, b"Content-Encoding: aes128gcm\x00").derive(ikm)
    nonce = HKDF(hashes.SHA256(), 12, salt, b"Content-Encoding: nonce\x00").derive(ikm)
    plaintext = AESGCM(cek).decrypt(nonce, ciphertext, None)
    assert plaintext.endswith(b"\x02")
    payload = json.loads(plaintext[:-1])
    assert payload["title"] == "Hi Pia" and payload["url"] == "https://shop.example.com/cart"


def test_nps_survey_by_email_one_click_answer_and_30_day_throttle(channel_server):
    server, sink, *_ = channel_server
    post_batch(server, [{"type": "identify", "userId": "nia", "traits": {"email": "nia@example.com"}}])
    pid = profile_id(server, "nia")
    assert server.admin("POST", "/api/v1/messages", json={"profileId": pid, "template": "nps-survey"}).status_code == 202
    envelope = sink.wait(1)[0]
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message["Subject"].startswith("How likely are you to recommend")
    text = message.get_body(preferencelist=("plain",)).get_content()
    links = dict(re.findall(r"^(\d+): (\S+/s/nps/\S+)$", text, re.M))
    assert sorted(int(k) for k in links) == list(range(11))

    # A second survey within 30 days is dropped, not queued.
    assert server.admin("POST", "/api/v1/messages", json={"profileId": pid, "template": "nps-survey"}).status_code == 202
    deadline = time.time() + 30
    while time.time() < deadline:
        statuses = sorted(m["status"] for m in server.admin("GET", "/api/v1/outbox").json()["messages"]
                          if m["template"] == "nps-survey" and m["status"] not in ("queued", "sending"))
        if len(statuses) == 2:
            break
        time.sleep(0.1)
    assert statuses == ["sent", "suppressed"] or statuses == ["delivered", "suppressed"], statuses
    time.sleep(0.5)
    assert len(sink.messages) == 1

    page = requests.get(links["10"])
    assert page.status_code == 200 and "10 out of 10" in page.text
    assert requests.get(links["2"]).status_code == 200  # a second click is the same answer repeated: ignored
    answers = wait_for(lambda: [e for e in timeline(server, "nia") if e.get("event") == "NPS Submitted"])
    time.sleep(0.5)
    answers = [e for e in timeline(server, "nia") if e.get("event") == "NPS Submitted"]
    assert [a["properties"]["score"] for a in answers] == [10]
    assert answers[0]["properties"]["template"] == "nps-survey"
    nps = wait_for(lambda: server.admin("GET", "/api/v1/loyalty/nps").json()["groups"])
    assert nps[0]["promoters"] == 1 and nps[0]["nps"] == 100


def test_email_shows_personalised_recommendations(channel_server):
    server, sink, *_ = channel_server
    template = {"name": "Picks", "channel": "email", "parts": {
        "subject": "Picked for you", "text": "{% for p in recommendations %}{{ p.name }} ({{ p.strategy }})\n{% endfor %}",
        "html": "<p>{% for p in recommendations %}{{ p.name }} {% endfor %}</p>"}}
    assert server.admin("PUT", "/api/v1/templates/picks", json=template).status_code == 200
    events = []
    for u in range(8):
        for product, name in [("p1", "Tent"), ("p2", "Stove")]:
            events.append({"type": "track", "userId": f"camper{u}", "event": "Product Viewed",
                           "properties": {"product_id": product, "name": name, "category": "camping"}})
    events.append({"type": "identify", "userId": "rae", "traits": {"email": "rae@example.com"}})
    events.append({"type": "track", "userId": "rae", "event": "Product Viewed", "properties": {"product_id": "p1", "name": "Tent"}})
    post_batch(server, events)
    server.wait_processed()
    trained = server.admin("POST", "/api/v1/recommendations/train")
    assert trained.status_code == 200 and trained.json()["products"] == 2
    assert server.admin("POST", "/api/v1/messages", json={"profileId": profile_id(server, "rae"), "template": "picks"}).status_code == 202
    message = email.message_from_bytes(sink.wait(1)[0].content, policy=email.policy.default)
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert text.splitlines()[0] == "Stove (personalised)", text

    # A message about a product (the event that triggered it) can show products like it.
    similar = {"name": "Like it", "channel": "email", "parts": {
        "subject": "More like this", "text": "{% for p in similar %}{{ p.name }} ({{ p.strategy }})\n{% endfor %}", "html": "<p>x</p>"}}
    saved = server.admin("PUT", "/api/v1/templates/like-it", json=similar)
    assert saved.status_code == 200, saved.text
    assert server.admin("POST", "/api/v1/messages", json={"profileId": profile_id(server, "rae"), "template": "like-it",
                                                          "event": {"product_id": "p2"}}).status_code == 202
    message = email.message_from_bytes(sink.wait(2)[1].content, policy=email.policy.default)
    assert message.get_body(preferencelist=("plain",)).get_content().splitlines()[0] == "Tent (similar)"

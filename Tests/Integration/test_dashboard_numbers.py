"""One journey's sent count is the same on its page, in the message log and on the analytics page (issue 18)."""
import re
import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from channel_fakes import MailSink
from conftest import CicloServer, run_ciclo
from helpers import post_batch
from test_dashboard import chromium_driver, shoot, sign_in, SHOTS


@pytest.fixture
def mail_server(workdir):
    with MailSink() as sink:
        database = f"sqlite://{workdir}/ciclo.db"
        server = CicloServer(database, workdir, env={
            "CICLO_SMTP_URL": f"smtp://127.0.0.1:{sink.port}?starttls=none",
            "CICLO_EMAIL_FROM": "Ciclo Shop <shop@example.com>",
        })
        server.start()
        assert server.admin("PUT", "/api/v1/journeys/settings", json={"caps": [], "controlShare": 0}).status_code == 200
        created = run_ciclo("user", "create", "--workspace", "default", "--email", "numbers@shop.example", "--role", "viewer",
                            database=database, cwd=workdir)
        server.user_password = re.search(r"One-time password: (\S+)", created.stdout).group(1)
        yield server, sink
        server.kill()


def number(text):
    return int(text.replace(",", ""))


def test_the_sent_count_agrees_on_the_journey_page_the_message_log_and_analytics(mail_server):
    import os
    os.makedirs(SHOTS, exist_ok=True)
    server, sink = mail_server
    # Setup: a welcome email to everyone who signs up; five people with an address, two without.
    journey = {"key": "welcome", "name": "Welcome", "trigger": {"event": "Signed Up"}, "start": "hello",
               "steps": {"hello": {"type": "message", "channel": "email", "template": "welcome-1"}}}
    assert server.admin("POST", "/api/v1/journeys", json=journey).status_code == 201
    assert server.admin("POST", "/api/v1/journeys/welcome/activate").status_code == 200
    batch = []
    for i in range(7):
        traits = {"first_name": f"P{i}"} | ({"email": f"p{i}@example.com"} if i < 5 else {})
        batch += [{"type": "identify", "userId": f"p{i}", "traits": traits}, {"type": "track", "userId": f"p{i}", "event": "Signed Up"}]
    assert post_batch(server, batch).status_code == 200
    assert len(sink.wait(5)) == 5
    deadline = time.time() + 60
    while time.time() < deadline:
        states = [m["status"] for m in server.admin("GET", "/api/v1/outbox").json()["messages"]]
        if len(states) == 7 and not {"queued", "sending"} & set(states):
            break
        time.sleep(0.2)
    assert sorted(states).count("sent") == 5 and len(states) == 7, states

    browser = chromium_driver()
    try:
        sign_in(browser, server, "numbers@shop.example", server.user_password, page="/journeys/welcome")
        row = next(r for r in browser.find_elements(By.CSS_SELECTOR, "table tbody tr") if r.text.startswith("hello"))
        outcomes = row.find_elements(By.TAG_NAME, "td")[2].text
        on_journey = number(re.search(r"sent ([\d,]+)", outcomes).group(1))
        assert "failed" in outcomes or "suppressed" in outcomes, outcomes
        shoot(browser, "numbers-journey")

        browser.get(server.url + "/messages")
        rows = browser.find_elements(By.CSS_SELECTOR, "#messages tbody tr")
        in_log = sum(1 for r in rows if "welcome / hello" in r.text and r.find_element(By.CSS_SELECTOR, ".badge").text == "sent")
        shoot(browser, "numbers-messages")

        # Analytics reads the rollups, refreshed in the background: give them a moment.
        on_analytics = None
        deadline = time.time() + 60
        while time.time() < deadline:
            browser.get(server.url + "/analytics")
            found = [r for r in browser.find_elements(By.CSS_SELECTOR, "#kpis tbody tr") if r.find_element(By.TAG_NAME, "td").text == "welcome"]
            if found and number(found[0].find_elements(By.TAG_NAME, "td")[1].text) == in_log:
                on_analytics = number(found[0].find_elements(By.TAG_NAME, "td")[1].text)
                break
            time.sleep(1)
        shoot(browser, "numbers-analytics")
    finally:
        browser.quit()
    assert on_journey == in_log == on_analytics == 5, (on_journey, in_log, on_analytics)

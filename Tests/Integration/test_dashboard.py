"""The dashboard in a real browser: headless Chromium driven by Selenium against `ciclo serve --demo`.
Screenshots of the main pages go to .build/screenshots (or $CICLO_SCREENSHOTS) for people to look at."""
import os
import re
import shutil
import time

import pytest
import requests
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.ui import WebDriverWait

from conftest import CicloServer, run_ciclo

SHOTS = os.environ.get("CICLO_SCREENSHOTS") or os.path.join(os.path.dirname(__file__), "..", "..", ".build", "screenshots")
PAGES = ["/overview", "/lifecycle", "/people", "/segments", "/segments/new", "/journeys", "/journeys/new", "/templates",
         "/messages", "/settings", "/predictions", "/analytics", "/loyalty", "/content"]


def chromium_driver():
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    options = webdriver.ChromeOptions()
    for arg in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000", "--lang=en-US"]:
        options.add_argument(arg)
    if os.path.exists("/usr/bin/chromium"):
        options.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(options=options, service=Service(driver_path))


@pytest.fixture(scope="module")
def demo():
    import tempfile
    workdir = tempfile.mkdtemp(prefix="ciclo-dash-")
    server = CicloServer(f"sqlite://{workdir}/ciclo.db", workdir, extra_args=["--demo"]).start(timeout=300)
    password = re.search(r"Dashboard sign-in: (\S+) / (\S+)", server.read_log())
    assert password, server.read_log()
    server.demo_email, server.demo_password = password.group(1), password.group(2)
    # The demo's events are processed in the background; wait until people are there.
    deadline = time.time() + 120
    while time.time() < deadline:
        if server.admin("GET", "/api/v1/profiles/processing").json().get("events", 1) == 0:
            break
        time.sleep(0.5)
    os.makedirs(SHOTS, exist_ok=True)
    yield server
    server.kill()
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def browser():
    driver = chromium_driver()
    yield driver
    driver.quit()


def sign_in(browser, server, email, password, page="/overview"):
    browser.get(server.url + page)
    WebDriverWait(browser, 30).until(EC.url_contains("/sign-in"))
    browser.find_element(By.ID, "email").send_keys(email)
    browser.find_element(By.ID, "password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    WebDriverWait(browser, 30).until(EC.url_contains(page))


def shoot(browser, name):
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1400, min(max(height, 900), 5000))
    browser.save_screenshot(os.path.join(SHOTS, name + ".png"))
    browser.set_window_size(1400, 1000)


def test_signed_out_visitors_are_sent_to_sign_in_from_every_page(demo):
    for page in PAGES + ["/people/1", "/segments/repeat-customers"]:
        response = requests.get(demo.url + page, allow_redirects=False)
        assert response.status_code == 303, page
        assert response.headers["Location"].startswith("/sign-in?next="), page


def test_overview_people_segment_and_journey_in_a_browser(demo, browser):
    browser.get(demo.url + "/overview")
    browser.find_element(By.ID, "email").send_keys(demo.demo_email)
    browser.find_element(By.ID, "password").send_keys("not the password")
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    assert "do not match" in browser.find_element(By.ID, "sign-in-error").text
    sign_in(browser, demo, demo.demo_email, demo.demo_password)

    # The overview draws the funnel: one bar per stage, and people in the first.
    bars = browser.find_elements(By.CSS_SELECTOR, "#funnel svg rect")
    assert len(bars) >= 4
    assert "reached" in browser.find_element(By.ID, "funnel").text
    kpis = {k.find_element(By.CLASS_NAME, "label").text: k.find_element(By.CLASS_NAME, "value").text
            for k in browser.find_elements(By.CLASS_NAME, "kpi")}
    assert int(kpis["Orders"].replace(",", "")) > 0
    assert kpis["Revenue"].startswith("$")
    shoot(browser, "overview")

    browser.get(demo.url + "/lifecycle")
    assert browser.find_elements(By.CSS_SELECTOR, "svg.chart")
    shoot(browser, "lifecycle")

    # Find a customer by email and open the 360° profile.
    browser.get(demo.url + "/segments/repeat-customers")
    first = browser.find_element(By.CSS_SELECTOR, "#members tbody tr td:nth-child(2)").text
    assert "@" in first
    browser.get(demo.url + "/people")
    search = browser.find_element(By.ID, "q")
    search.send_keys(first[:6])
    search.submit()
    # The search is a new page: wait for it, or the rows found may be the list the page showed before.
    WebDriverWait(browser, 30).until(EC.url_contains("q="))
    WebDriverWait(browser, 30).until(EC.presence_of_element_located((By.CSS_SELECTOR, "#people tbody tr")))
    rows = browser.find_elements(By.CSS_SELECTOR, "#people tbody tr")
    assert any(first in row.text for row in rows)
    next(row for row in rows if first in row.text).find_element(By.TAG_NAME, "a").click()
    WebDriverWait(browser, 30).until(EC.presence_of_element_located((By.ID, "timeline")))
    assert first in browser.page_source
    assert len(browser.find_elements(By.CSS_SELECTOR, "#timeline li")) > 0
    shoot(browser, "person")

    # Build a segment with the form rows; the live preview counts before saving.
    browser.get(demo.url + "/segments/new")
    browser.find_element(By.ID, "name").send_keys("Big spenders")
    browser.find_element(By.ID, "key").send_keys("big-spenders")
    Select(browser.find_element(By.ID, "kind-1")).select_by_value("attribute")
    browser.find_element(By.ID, "field-1").send_keys("total_revenue")
    Select(browser.find_element(By.ID, "op-1")).select_by_value("gte")
    browser.find_element(By.ID, "value-1").send_keys("300")
    WebDriverWait(browser, 30).until(lambda d: re.fullmatch(r"[\d,]+", d.find_element(By.ID, "preview-count").text))
    previewed = int(browser.find_element(By.ID, "preview-count").text.replace(",", ""))
    assert previewed > 0
    assert browser.find_elements(By.CSS_SELECTOR, "#preview-sample li a")
    shoot(browser, "segment-builder")
    browser.find_element(By.CSS_SELECTOR, "#segment-form button[type=submit]").click()
    WebDriverWait(browser, 30).until(EC.url_contains("/segments/big-spenders"))
    assert int(browser.find_element(By.ID, "member-count").text.replace(",", "")) == previewed
    shoot(browser, "segment")

    # Install a ready-made journey and look at its graph.
    browser.get(demo.url + "/journeys")
    browser.find_element(By.XPATH, "//button[contains(., 'Install Welcome series')]").click()
    WebDriverWait(browser, 30).until(EC.url_contains("/journeys/welcome-series"))
    nodes = browser.find_elements(By.CSS_SELECTOR, "#journey-graph g.node")
    assert len(nodes) == 6, "the trigger and five steps"
    assert {n.get_attribute("data-step") for n in nodes} >= {"welcome", "wait-2d", "offer"}
    shoot(browser, "journey")

    # Score everyone and look at the predictions page.
    browser.get(demo.url + "/predictions")
    browser.find_element(By.XPATH, "//button[contains(., 'Score everyone now')]").click()
    WebDriverWait(browser, 120).until(EC.presence_of_element_located((By.ID, "valuable")))
    assert browser.find_elements(By.CSS_SELECTOR, "#valuable tbody tr")
    shoot(browser, "predictions")

    # The demo shop runs a loyalty program: members with points, and one member's ledger.
    browser.get(demo.url + "/loyalty")
    rows = browser.find_elements(By.CSS_SELECTOR, "#members tbody tr")
    assert rows, "demo customers earned points"
    shoot(browser, "loyalty")
    rows[0].find_element(By.TAG_NAME, "a").click()
    WebDriverWait(browser, 30).until(EC.presence_of_element_located((By.ID, "ledger")))
    assert "earn order" in browser.find_element(By.ID, "ledger").text
    shoot(browser, "loyalty-member")

    # Content: the coverage matrix, then the recommendation strategies evaluated on the demo's own interactions.
    browser.get(demo.url + "/content")
    assert browser.find_elements(By.CSS_SELECTOR, "table.matrix tbody tr")
    browser.find_element(By.XPATH, "//button[contains(., 'Evaluate on our data')]").click()
    WebDriverWait(browser, 120).until(EC.presence_of_element_located((By.ID, "evaluation")))
    strategies = [r.find_elements(By.TAG_NAME, "td")[0].text for r in browser.find_elements(By.CSS_SELECTOR, "#evaluation tbody tr")]
    assert strategies == ["popular", "trending", "similar", "personalised"]
    shoot(browser, "content-evaluation")

    for page in ["segments", "journeys", "templates", "messages", "settings", "analytics"]:
        browser.get(demo.url + "/" + page)
        assert browser.find_element(By.TAG_NAME, "h1").text
        shoot(browser, page)
    browser.get(demo.url + "/templates/welcome-1")
    browser.find_element(By.ID, "person").send_keys(first)
    browser.find_element(By.XPATH, "//button[@value='preview']").click()
    WebDriverWait(browser, 30).until(EC.presence_of_element_located((By.CSS_SELECTOR, "iframe.email-preview")))
    assert "Welcome" in browser.find_element(By.ID, "preview").text
    shoot(browser, "template-preview")


def test_two_word_search_and_the_default_funnel_survive_the_form(demo, browser):
    """GET forms send spaces as `+`: a two-word name still finds its person and the default funnel keeps its steps."""
    sign_in(browser, demo, demo.demo_email, demo.demo_password, page="/people")
    people = demo.admin("GET", "/api/v1/profiles", params={"limit": 200}).json()["profiles"]
    name = next(p["name"] for p in people if " " in (p.get("name") or ""))
    search = browser.find_element(By.ID, "q")
    search.send_keys(name)
    search.submit()
    WebDriverWait(browser, 30).until(EC.url_contains("q="))
    assert "+" in browser.current_url or "%20" in browser.current_url, browser.current_url
    WebDriverWait(browser, 30).until(EC.presence_of_element_located((By.CSS_SELECTOR, "#people tbody tr")))
    assert any(name in row.text for row in browser.find_elements(By.CSS_SELECTOR, "#people tbody tr")), name
    assert browser.find_element(By.ID, "q").get_attribute("value") == name
    shoot(browser, "people-two-word-search")

    browser.get(demo.url + "/analytics")
    before = [r.find_element(By.TAG_NAME, "td").text for r in browser.find_elements(By.CSS_SELECTOR, "#funnel tbody tr")]
    assert before == ["Product Viewed", "Product Added", "Order Completed"]
    people_before = [r.find_elements(By.TAG_NAME, "td")[1].text for r in browser.find_elements(By.CSS_SELECTOR, "#funnel tbody tr")]
    browser.find_element(By.XPATH, "//section[@id='funnel']//button[contains(., 'Count')]").click()
    WebDriverWait(browser, 30).until(EC.url_contains("steps="))
    rows = browser.find_elements(By.CSS_SELECTOR, "#funnel tbody tr")
    assert [r.find_element(By.TAG_NAME, "td").text for r in rows] == before
    assert [r.find_elements(By.TAG_NAME, "td")[1].text for r in rows] == people_before
    assert int(people_before[0].replace(",", "")) > 0
    assert browser.find_element(By.ID, "steps").get_attribute("value") == "Product Viewed, Product Added, Order Completed"
    shoot(browser, "analytics-funnel-counted")


def test_viewer_cannot_edit_and_forged_posts_are_refused(demo, browser):
    created = run_ciclo("user", "create", "--workspace", "default", "--email", "viewer@shop.example", "--role", "viewer",
                        database=demo.database)
    assert created.returncode == 0, created.stderr
    password = re.search(r"One-time password: (\S+)", created.stdout).group(1)
    sign_in(browser, demo, "viewer@shop.example", password, page="/segments")
    assert not browser.find_elements(By.LINK_TEXT, "New segment")
    assert "viewer" in browser.find_element(By.CSS_SELECTOR, ".top .badge").text
    browser.get(demo.url + "/segments/new")
    assert "Not allowed" in browser.find_element(By.TAG_NAME, "h1").text
    browser.get(demo.url + "/lifecycle")
    assert not browser.find_elements(By.ID, "document"), "no model editor for a viewer"

    # The session cookie alone is not enough to post: without the form's CSRF token the post is refused.
    cookies = {c["name"]: c["value"] for c in browser.get_cookies()}
    forged = requests.post(demo.url + "/settings/rules", data={"control": "25"}, cookies=cookies, allow_redirects=False)
    assert forged.status_code == 403
    assert "expired" in forged.text
    rules = demo.admin("GET", "/api/v1/journeys/settings").json()
    assert rules["controlShare"] == 0

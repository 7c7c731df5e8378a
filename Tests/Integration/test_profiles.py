"""Profiles from the outside: latency from track to profile, CSV import and export through the CLI."""
import csv
import io
import json
import os
import time

import requests
from segment import analytics

from conftest import run_ciclo


def test_an_event_reaches_its_profile_within_a_second(server):
    client = analytics.Client(server.write_key, host=server.url, sync_mode=True)
    started = time.monotonic()
    client.identify("latency-user", {"email": "fast@example.com", "name": "Fast"})
    while time.monotonic() - started < 5:
        found = server.admin("GET", "/api/v1/profiles", params={"userId": "latency-user"}).json()["profiles"]
        if found:
            break
        time.sleep(0.02)
    elapsed = time.monotonic() - started
    assert found and found[0]["email"] == "fast@example.com"
    assert elapsed < 1.0, f"profile appeared after {elapsed:.2f} s"
    # Ciclo's own events about the change (stage, segments) follow in the next round; the log drains at once.
    deadline = time.monotonic() + 2
    while server.admin("GET", "/api/v1/profiles/processing").json()["events"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.admin("GET", "/api/v1/profiles/processing").json()["events"] == 0


def test_import_profiles_and_events_then_export(database, workdir):
    people = os.path.join(workdir, "people.csv")
    with open(people, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Email", "First Name", "Customer Id", "Plan"])
        w.writerow(["ada@example.com", "Ada", "c-1", "pro"])
        w.writerow(["", "Nobody", "", "free"])
        w.writerow(["grace@example.com", "Grace", "c-2", "free"])
    orders = os.path.join(workdir, "orders.csv")
    with open(orders, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Order", "Date", "Customer", "Amount", "Coupon"])
        w.writerow(["o-1", "2026-01-05", "c-1", "40.00", ""])
        w.writerow(["o-2", "2026-02-05", "c-1", "60.50", "SPRING"])
        w.writerow(["o-3", "2026-02-06", "c-2", "abc", ""])
    assert run_ciclo("workspace", "create", "default", "--database", database, cwd=workdir).returncode == 0

    first = run_ciclo("import", "profiles", people, "--map", "email=Email,first_name=First Name,user_id=Customer Id",
                      "--database", database, cwd=workdir)
    again = run_ciclo("import", "profiles", people, "--map", "email=Email,first_name=First Name,user_id=Customer Id",
                      "--database", database, cwd=workdir)
    bought = run_ciclo("import", "events", orders, "--preset", "orders",
                       "--map", "order_id=Order,timestamp=Date,user_id=Customer,amount=Amount,coupon=Coupon",
                       "--database", database, cwd=workdir)
    assert first.returncode == 0, first.stderr
    assert "Imported 2 of 3 rows" in first.stdout and "1 rejected" in first.stdout
    assert "Imported 0 of 3 rows" in again.stdout and "2 already imported" in again.stdout
    assert "Imported 2 of 3 rows" in bought.stdout, bought.stdout + bought.stderr
    with open(orders + ".rejects.csv") as f:
        assert f.read().splitlines()[1].startswith("4,invalid_amount")

    exported = run_ciclo("export", "profiles", "--format", "csv", "--database", database, cwd=workdir)
    rows = {r["user_id"]: r for r in csv.DictReader(io.StringIO(exported.stdout))}
    assert set(rows) == {"c-1", "c-2"}
    assert rows["c-1"]["email"] == "ada@example.com" and rows["c-1"]["order_count"] == "2"
    assert rows["c-1"]["total_revenue"] == "100.50"
    assert json.loads(rows["c-1"]["traits"])["Plan"] == "pro"
    lines = run_ciclo("export", "profiles", "--format", "jsonl", "--database", database, cwd=workdir).stdout.splitlines()
    assert len(lines) == 2 and json.loads(lines[0])["computed"]["orderCount"] in (0, 2)

    rebuilt = run_ciclo("profiles", "rebuild", "--database", database, cwd=workdir)
    assert "Rebuilt 2 profiles" in rebuilt.stdout


def test_import_bad_input_is_a_clear_error(workdir):
    db = f"sqlite://{workdir}/x.db"
    missing = run_ciclo("import", "events", os.path.join(workdir, "nope.csv"), "--database", db, cwd=workdir)
    assert missing.returncode != 0 and "Cannot read" in missing.stderr
    empty = os.path.join(workdir, "empty.csv")
    open(empty, "w").close()
    run_ciclo("workspace", "create", "default", "--database", db, cwd=workdir)
    result = run_ciclo("import", "events", empty, "--database", db, cwd=workdir)
    assert result.returncode != 0 and "empty" in result.stderr
    bad_map = run_ciclo("import", "profiles", empty, "--map", "nonsense", "--database", db, cwd=workdir)
    assert bad_map.returncode != 0 and "--map" in bad_map.stderr
    bad_preset = run_ciclo("import", "events", empty, "--preset", "xml", "--database", db, cwd=workdir)
    assert bad_preset.returncode != 0 and "preset" in bad_preset.stderr

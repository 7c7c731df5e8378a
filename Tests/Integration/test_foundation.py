"""The foundation's promises, checked against the real binary: start, restart, and one-line errors."""
import os
import re
import time
import shutil
import socket
import subprocess

import requests

from conftest import BINARY, CicloServer, free_port, run_ciclo


def test_serve_starts_on_an_empty_directory_and_restart_reuses_the_database(workdir):
    first = CicloServer(f"sqlite://{workdir}/ciclo.db", workdir).start()
    assert requests.get(first.url + "/ready").status_code == 200
    assert first.write_key and first.admin_token
    workspace = first.admin("GET", "/api/v1/workspace").json()
    assert workspace["name"] == "default"
    assert first.stop() == 0

    second = CicloServer(f"sqlite://{workdir}/ciclo.db", workdir)
    second.admin_token = first.admin_token
    second.start()
    try:
        assert "Write key:" not in second.read_log(), "keys are printed only on the first start"
        assert second.admin("GET", "/api/v1/workspace").json()["id"] == workspace["id"]
    finally:
        second.kill()


def test_default_database_is_ciclo_db_in_the_working_directory(workdir):
    port = free_port()
    proc = subprocess.Popen([BINARY, "serve", "--port", str(port)], cwd=workdir, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env={k: v for k, v in os.environ.items()
                                                                   if k != "CICLO_DATABASE_URL"})
    try:
        for line in proc.stdout:
            if "listening" in line:
                break
        assert os.path.exists(os.path.join(workdir, "ciclo.db"))
        assert requests.get(f"http://127.0.0.1:{port}/ready").status_code == 200
    finally:
        proc.kill()
        proc.wait()


def one_line_error(result):
    assert result.returncode != 0
    lines = [l for l in result.stderr.splitlines() if l.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_malformed_database_url_is_one_line_error(workdir):
    line = one_line_error(run_ciclo("serve", "--database", "mysql://nope", cwd=workdir))
    assert "Unsupported database URL" in line


def test_unreachable_postgres_is_one_line_error(workdir):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    line = one_line_error(run_ciclo("migrate", "--database", f"postgres://ciclo@127.0.0.1:{closed_port}/x", cwd=workdir))
    assert "Cannot connect to PostgreSQL" in line and "refused" in line


def test_read_only_database_path_is_one_line_error(workdir):
    path = os.path.join(workdir, "ro.db")
    assert run_ciclo("migrate", "--database", f"sqlite://{path}", cwd=workdir).returncode == 0
    os.chmod(path, 0o444)
    if os.geteuid() == 0:
        # root ignores file modes; check the directory case as an unprivileged user instead.
        os.chmod(workdir, 0o755)
        ro_dir = os.path.join(workdir, "locked")
        os.mkdir(ro_dir, 0o555)
        # The build folder may sit under a private directory; give the unprivileged user its own copy.
        binary = os.path.join(workdir, "ciclo")
        shutil.copy(BINARY, binary)
        os.chmod(binary, 0o755)
        result = subprocess.run(["runuser", "-u", "nobody", "--", binary, "migrate", "--database",
                                 f"sqlite://{ro_dir}/x.db"], capture_output=True, text=True, cwd="/")
        line = one_line_error(result)
        assert "not writable" in line
    else:
        line = one_line_error(run_ciclo("migrate", "--database", f"sqlite://{path}", cwd=workdir))
        assert "read-only" in line


def test_occupied_port_is_one_line_error(workdir):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        result = run_ciclo("serve", "--host", "127.0.0.1", "--port", str(port), "--database",
                           f"sqlite://{workdir}/x.db", cwd=workdir)
    line = one_line_error(result)
    assert f"Port {port}" in line and "already in use" in line


def test_migrations_twice_end_at_same_version_on_both_engines(database, workdir):
    first = run_ciclo("migrate", "--database", database, cwd=workdir)
    second = run_ciclo("migrate", "--database", database, cwd=workdir)
    assert first.returncode == 0 and "Applied migrations" in first.stdout
    assert second.returncode == 0 and "up to date" in second.stdout
    assert second.stdout.strip().split()[-1] == first.stdout.strip().split()[-1]


def test_workspace_source_and_token_commands(database, workdir):
    import json
    created = run_ciclo("workspace", "create", "shop", "--json", "--database", database, cwd=workdir)
    assert created.returncode == 0, created.stderr
    body = json.loads(created.stdout)
    assert set(body) == {"workspace", "writeKey", "adminToken"}
    source = json.loads(run_ciclo("source", "create", "--workspace", "shop", "--name", "web", "--json",
                                  "--database", database, cwd=workdir).stdout)
    assert source["writeKey"] != body["writeKey"]
    token = json.loads(run_ciclo("token", "create", "--workspace", "shop", "--json", "--database", database,
                                 cwd=workdir).stdout)
    assert token["adminToken"].startswith("ciclo_")
    listed = json.loads(run_ciclo("workspace", "list", "--json", "--database", database, cwd=workdir).stdout)
    assert [w["name"] for w in listed] == ["shop"]
    again = run_ciclo("workspace", "create", "shop", "--database", database, cwd=workdir)
    assert "already exists" in one_line_error(again)

    # Tokens can be listed (never shown again) and revoked; the revoked one gets 401 from a running server.
    tokens = json.loads(run_ciclo("token", "list", "--workspace", "shop", "--json", "--database", database, cwd=workdir).stdout)
    assert len(tokens) == 2 and all(t.get("revokedAt") is None for t in tokens) and "adminToken" not in tokens[0]
    server = CicloServer(database, workdir).start()
    server.admin_token = token["adminToken"]
    try:
        assert server.admin("GET", "/api/v1/workspace").status_code == 200
        revoked = run_ciclo("token", "revoke", str(tokens[0]["id"]), "--workspace", "shop", "--database", database, cwd=workdir)
        assert revoked.returncode == 0, revoked.stderr
        # Every node remembers a token for up to 5 seconds.
        deadline = time.time() + 10
        while time.time() < deadline and server.admin("GET", "/api/v1/workspace").status_code != 401:
            time.sleep(0.25)
        assert server.admin("GET", "/api/v1/workspace").status_code == 401
    finally:
        server.kill()
    gone = run_ciclo("token", "revoke", "999999", "--workspace", "shop", "--database", database, cwd=workdir)
    assert "not found" in one_line_error(gone)


def test_version_and_a_demo_listening_on_loopback_only(workdir):
    version = run_ciclo("--version")
    assert version.returncode == 0 and re.fullmatch(r"\d+\.\d+\.\d+\n", version.stdout), version.stdout
    # The demo prints an admin sign-in, so without --host it listens on loopback only.
    port = free_port()
    log = open(os.path.join(workdir, "demo.log"), "w+")
    env = dict(os.environ, CICLO_DATABASE_URL=f"sqlite://{workdir}/demo.db")
    env.pop("CICLO_HOST", None)
    process = subprocess.Popen([BINARY, "serve", "--demo", "--port", str(port)], cwd=workdir, stdout=log, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, env=env)
    try:
        deadline = time.time() + 180
        while time.time() < deadline and "is listening on" not in open(log.name).read():
            assert process.poll() is None, open(log.name).read()
            time.sleep(0.2)
        text = open(log.name).read()
        assert f"is listening on http://127.0.0.1:{port}" in text, text
        assert requests.get(f"http://127.0.0.1:{port}/health").status_code == 200
    finally:
        process.kill()
        process.wait()

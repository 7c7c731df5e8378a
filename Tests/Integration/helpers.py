"""Small helpers shared by the integration tests."""
import requests


def is_derived(event):
    """Ciclo's own events (segment entries, stage changes, ...) rather than ones a client sent."""
    return event.get("context", {}).get("library", {}).get("name") == "ciclo"


def all_events(server, include_derived=False, **filters):
    """Every event of the server's workspace through the admin API, newest first (client-sent only by default)."""
    events, after = [], None
    while True:
        params = dict(filters, limit=1000)
        if after:
            params["after"] = after
        page = server.admin("GET", "/api/v1/events", params=params).json()
        events += page["events"]
        after = page.get("next")
        if not after:
            return [e for e in events if include_derived or not is_derived(e)]


def post_batch(server, messages, **extra):
    body = dict(batch=messages, **extra)
    return requests.post(server.url + "/v1/batch", json=body, auth=(server.write_key, ""), timeout=30)

"""Small helpers shared by the integration tests."""
import requests


def all_events(server, **filters):
    """Every event of the server's workspace through the admin API, newest first."""
    events, after = [], None
    while True:
        params = dict(filters, limit=1000)
        if after:
            params["after"] = after
        page = server.admin("GET", "/api/v1/events", params=params).json()
        events += page["events"]
        after = page.get("next")
        if not after:
            return events


def post_batch(server, messages, **extra):
    body = dict(batch=messages, **extra)
    return requests.post(server.url + "/v1/batch", json=body, auth=(server.write_key, ""), timeout=30)

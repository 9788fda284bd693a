"""The one-request trainer step (`step`), the fleet call (`batch`), and the browser-safety checks seen from Python."""
import http.client
import itertools
from urllib.parse import urlsplit

import pytest

from proxima_client import BadRequest, Client, Conflict

_ids = itertools.count()


def make(client, n_tasks=20, recipe="sec", seed=1):
    cid = f"stepbatch{next(_ids)}"
    client.create(cid, {"recipe": recipe, "seed": seed, "rollouts": 4},
                  tasks=({"id": f"t{i}", "group": f"g{i % 3}"} for i in range(n_tasks)))
    return cid


def outcomes_for(selection, k=0):
    return [{"taskId": t["id"], "rewards": [(i + k) % 2 for i in range(t["rollouts"])]} for t in selection["tasks"]]


def test_step_is_report_then_next(server):
    c = Client(server.url)
    a, twin = make(c), make(c)
    sel = c.next(a, 4, request_id="first")
    assert c.next(twin, 4, request_id="first") == sel
    for k in range(5):
        out = outcomes_for(sel, k)
        both = c.step(a, out, 3, batch_id=f"b{k}")
        assert both["report"] == c.report(twin, out, batch_id=f"b{k}")
        assert both["next"] == c.next(twin, 3, request_id=f"b{k}")
        sel = both["next"]
    assert c.stats(a)["reports"] == c.stats(twin)["reports"] == 4 + 4 * 3


def test_a_retried_step_is_applied_once(server):
    c = Client(server.url)
    a = make(c)
    sel = c.next(a, 2)
    first = c.step(a, outcomes_for(sel), 2, batch_id="same")
    assert c.step(a, outcomes_for(sel), 2, batch_id="same") == first
    assert c.stats(a)["reports"] == 2 and c.get(a)["batches"] == 2
    with pytest.raises(Conflict) as e:
        c.step(a, outcomes_for(sel, 1), 2, batch_id="same")
    assert e.value.field == "batchId"


def test_a_refused_step_changes_nothing(server):
    c = Client(server.url)
    a = make(c, n_tasks=5)
    sel = c.next(a, 2)
    before = c.log(a)
    with pytest.raises(BadRequest) as e:
        c.step(a, outcomes_for(sel), 6)  # more than the pool: the valid report part is not applied either
    assert e.value.field == "n"
    with pytest.raises(BadRequest) as e:
        c.step(a, [{"taskId": "nope", "rewards": [1]}], 1)
    assert e.value.field == "outcomes[0].taskId"
    assert c.log(a) == before


def test_batch_answers_each_item_on_its_own(server):
    c = Client(server.url)
    a, b = make(c), make(c)
    sel = c.next(a, 2)
    answers = c.batch([
        (a, "step", {"outcomes": outcomes_for(sel), "n": 3}),
        {"curriculum": b, "op": "next", "body": {"n": 2}},
        ("nobody", "next", {"n": 1}),
        (b, "report", {"outcomes": [{"taskId": "nope", "rewards": [1]}]}),
    ])
    assert [x["status"] for x in answers] == [200, 200, 404, 400]
    assert len(answers[0]["body"]["next"]["tasks"]) == 3
    assert answers[2]["body"]["field"] == "id"
    assert answers[3]["body"]["field"] == "outcomes[0].taskId"
    assert c.stats(a)["reports"] == 2 and c.stats(b)["reports"] == 0


def test_a_retried_batch_replays_its_items(server):
    c = Client(server.url)
    a = make(c)
    sel = c.next(a, 2)
    items = [{"curriculum": a, "op": "step", "body": {"batchId": "x", "outcomes": outcomes_for(sel), "n": 2}},
             {"curriculum": a, "op": "next", "body": {"n": 1, "requestId": "y"}}]
    first = c.batch(items)
    again = c.batch(items)
    assert [x["body"] for x in again] == [x["body"] for x in first]
    assert all(x.get("replayed") for x in again)
    assert c.stats(a)["reports"] == 2


def raw(url, method, path, body=b"", headers=None):
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def test_a_web_page_cannot_post_or_rebind(server):
    c = Client(server.url)
    a = make(c)
    before = c.log(a)
    # what a page sends without a preflight: a form or text/plain body
    for t in ("text/plain", "application/x-www-form-urlencoded"):
        status, body = raw(server.url, "POST", f"/v1/curricula/{a}/next", b'{"n": 1}', {"Content-Type": t})
        assert status == 415 and b'"field":"Content-Type"' in body
    # DNS rebinding: the page's own name in Host
    port = urlsplit(server.url).port
    status, body = raw(server.url, "GET", "/v1/curricula", headers={"Host": f"evil.example:{port}"})
    assert status == 403 and b'"field":"Host"' in body
    status, _ = raw(server.url, "GET", "/v1/curricula", headers={"Host": f"localhost:{port}"})
    assert status == 200
    assert c.log(a) == before

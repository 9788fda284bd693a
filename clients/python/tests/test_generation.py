"""Generated tasks (issue 16): `generate` requests in next/step answers, add_generated, links across a restart."""
import itertools

import pytest

from proxima_client import BadRequest, Client, Conflict, generate_requests

_ids = itertools.count()

GEN = {"minReports": 1, "perBatch": 2}


def make(client, generation=GEN):
    cid = f"gen{next(_ids)}"
    config = {"recipe": "uniform", "seed": 3, "rollouts": 4}
    if generation is not None:
        config["generation"] = generation
    client.create(cid, config, tasks=[{"id": "hard", "group": "math"}, {"id": "mid", "group": "math"}, "easy"])
    return cid


def test_generate_requests_reads_next_and_step_answers():
    assert generate_requests({"batch": 0, "tasks": []}) == []
    req = [{"from": "a", "kind": "simplify"}]
    assert generate_requests({"batch": 1, "tasks": [], "generate": req}) == req
    assert generate_requests({"report": {}, "next": {"batch": 1, "tasks": [], "generate": req}}) == req


def test_a_trainer_loop_answers_requests_with_linked_tasks(server):
    c = Client(server.url)
    cid = make(c)
    sel = c.next(cid, 3, request_id="n0")
    assert generate_requests(sel) == []
    rewards = {"hard": [0, 0, 0, 0], "mid": [1, 0, 1, 0], "easy": [1, 1, 1, 1]}
    both = c.step(cid, [{"taskId": t["id"], "rewards": rewards[t["id"]]} for t in sel["tasks"]], 1, batch_id="s1")
    asked = generate_requests(both)
    assert asked == [{"from": "hard", "kind": "simplify"}, {"from": "mid", "kind": "vary"}]
    made = [{"id": f"{r['from']}/{r['kind']}", "parent": r["from"], "kind": r["kind"]} for r in asked]
    first = c.add_generated(cid, made, request_id="gen-s1")
    assert first == {"added": 2, "tasks": 5, "requestId": "gen-s1"}
    assert c.add_generated(cid, made, request_id="gen-s1") == first  # a retry adds nothing
    with pytest.raises(Conflict) as e:
        c.add_generated(cid, made[:1], request_id="gen-s1")
    assert e.value.field == "requestId"
    gen = c.stats(cid)["generation"]
    assert gen == {"configured": True, "requested": {"simplify": 1, "vary": 1}, "waiting": 0, "linked": 2, "parents": 2}
    log = c.log(cid)
    uploads = [e for e in log if e["type"] == "addTasks"]
    assert uploads[-1]["tasks"][0] == {"id": "hard/simplify", "parent": "hard", "kind": "simplify"}
    assert uploads[-1]["requestId"] == "gen-s1"
    server.restart()
    c = Client(server.url)
    assert c.stats(cid)["generation"] == gen
    assert c.add_generated(cid, made, request_id="gen-s1") == first


def test_bad_links_are_refused_naming_the_field(server):
    c = Client(server.url)
    cid = make(c)
    before = c.stats(cid)
    for tasks, field in [([{"id": "x", "parent": "nope", "kind": "simplify"}], "tasks[0].parent"),
                         ([{"id": "x", "parent": "hard", "kind": "harder"}], "tasks[0].kind"),
                         ([{"id": "y"}, {"id": "x", "parent": "x", "kind": "vary"}], "tasks[1].parent"),
                         ([{"id": "x", "parent": "z", "kind": "vary"}, {"id": "z", "parent": "x", "kind": "vary"}], "tasks[0].parent")]:
        with pytest.raises(BadRequest) as e:
            c.add_generated(cid, tasks)
        assert e.value.field == field
    assert c.stats(cid) == before


def test_without_generation_answers_have_no_requests(server):
    c = Client(server.url)
    cid = make(c, generation=None)
    for k in range(3):
        sel = c.next(cid, 3)
        assert "generate" not in sel
        c.report(cid, [{"taskId": t["id"], "rewards": [0, 0, 0, 0]} for t in sel["tasks"]])
    assert "generation" not in c.stats(cid)

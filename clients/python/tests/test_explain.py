"""next and step with explain=True, against the real server: why each task was chosen, stored with the keyed answer."""
import itertools

import pytest

from proxima_client import BadRequest, Client, Conflict

_ids = itertools.count()


def make(client, recipe="sec", seed=4):
    cid = f"explain{next(_ids)}"
    # a, b: prior difficulty 0.5 -> Beta(2, 2); c: 0.25 -> Beta(2.5, 1.5)
    client.create(cid, {"recipe": recipe, "seed": seed, "rollouts": 4, "itemPolicy": {"type": "odf"}},
                  tasks=[{"id": "a", "group": "x", "priorDifficulty": 0.5}, {"id": "b", "group": "x", "priorDifficulty": 0.5},
                         {"id": "c", "group": "y", "priorDifficulty": 0.25}])
    return cid


def outcomes_for(selection):
    return [{"taskId": t["id"], "rewards": [1, 1, 1, 0] if t["id"] == "a" else [1, 0, 0, 0]} for t in selection["tasks"]]


def test_next_explains_each_task_and_draws_what_a_plain_next_draws(server):
    c = Client(server.url)
    e, plain = make(c), make(c)
    for cid in (e, plain):
        c.report(cid, outcomes_for(c.next(cid, 3)))
    answer = c.next(e, 3, explain=True)
    twin = c.next(plain, 3)
    assert "explain" not in twin
    assert answer["tasks"] == twin["tasks"]
    assert [x["id"] for x in answer["explain"]] == [t["id"] for t in answer["tasks"]]
    by_id = {x["id"]: x for x in answer["explain"]}
    # a was reported 3 of 4: Beta(2 + 3, 2 + 1); b 1 of 4: Beta(2 + 1, 2 + 3); c 1 of 4: Beta(2.5 + 1, 1.5 + 3)
    assert by_id["a"]["passRate"] == {"mean": 0.625, "alpha": 5.0, "beta": 3.0, "tries": 1}
    assert by_id["c"]["passRate"]["mean"] == 0.4375
    assert by_id["b"]["passRate"] == {"mean": 0.375, "alpha": 3.0, "beta": 5.0, "tries": 1}
    for x in answer["explain"]:
        assert x["pipeline"] == "sec" and x["itemPolicy"] == "odf" and x["groupPolicy"] == "sec"
        assert set(x["item"]) == {"bandDistance", "low", "high"}
        assert 0 <= x["groupProbability"] <= 1


def test_a_retried_explained_next_returns_the_same_answer(server):
    c = Client(server.url)
    e = make(c)
    first = c.next(e, 2, request_id="r1", explain=True)
    assert c.next(e, 2, request_id="r1", explain=True) == first
    assert c.get(e)["batches"] == 1
    with pytest.raises(Conflict) as err:
        c.next(e, 2, request_id="r1")  # the key belongs to an explained request
    assert err.value.field == "requestId"


def test_step_explains_its_next_part_and_a_retry_returns_the_same(server):
    c = Client(server.url)
    s, twin = make(c), make(c)
    sel = c.next(s, 2)
    assert c.next(twin, 2)["tasks"] == sel["tasks"]
    both = c.step(s, outcomes_for(sel), 2, batch_id="k1", explain=True)
    assert both["report"] == c.report(twin, outcomes_for(sel), batch_id="k1")
    assert both["next"] == c.next(twin, 2, request_id="k1", explain=True)
    assert len(both["next"]["explain"]) == 2
    assert c.step(s, outcomes_for(sel), 2, batch_id="k1", explain=True) == both
    assert c.get(s)["batches"] == 2
    with pytest.raises(Conflict) as err:
        c.step(s, outcomes_for(sel), 2, batch_id="k1")
    assert err.value.field == "explain"
    plain = c.step(s, outcomes_for(both["next"]), 1, batch_id="k2")
    assert "explain" not in plain["next"]


def test_a_bad_explain_is_refused_by_the_server_naming_it(server):
    c = Client(server.url)
    e = make(c)
    log = c.log(e)
    with pytest.raises(BadRequest) as err:
        c.next(e, 2, explain="yes")
    assert err.value.field == "explain"
    with pytest.raises(BadRequest) as err:
        c.step(e, [{"taskId": "a", "rewards": [1, 0, 1, 0]}], 1, explain=1)
    assert err.value.field == "explain"
    assert c.log(e) == log
    walker = f"explain-walker{next(_ids)}"
    c.create_continuous(walker, {"x": (-1.0, 1.0)})
    with pytest.raises(BadRequest) as err:
        c.next(walker, 1, explain=True)
    assert err.value.field == "explain"

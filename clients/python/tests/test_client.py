import itertools
import threading

import pytest

from proxima_client import BadRequest, Client, Conflict, NotFound, PayloadTooLarge, ProximaError, Unauthorized

_ids = itertools.count()


def new_id(prefix="c"):
    return f"{prefix}{next(_ids)}"


def make(client, n_tasks=20, recipe="sec", rollouts=4, seed=1):
    cid = new_id()
    client.create(cid, {"recipe": recipe, "seed": seed, "rollouts": rollouts},
                  tasks=({"id": f"t{i}", "group": f"g{i % 3}"} for i in range(n_tasks)))
    return cid


def outcomes_for(selection, ok=lambda tid, k: k % 2):
    return [{"taskId": t["id"], "rewards": [ok(t["id"], k) for k in range(t["rollouts"])]} for t in selection["tasks"]]


def test_every_route(server):
    c = Client(server.url)
    assert c.health()["status"] == "ok"
    cid = make(c)
    assert c.get(cid)["tasks"] == 20
    assert cid in [x["id"] for x in c.list()]
    sel = c.next(cid, 5)
    assert len(sel["tasks"]) == 5 and all(t["rollouts"] == 4 for t in sel["tasks"])
    rep = c.report(cid, outcomes_for(sel), batch_id="b-1")
    assert rep["accepted"] == 5 and len(rep["verdicts"]) == 5
    assert c.stats(cid)["reports"] == 5
    assert c.checkpoint(cid, 10)["events"] == 3
    assert [x["step"] for x in c.checkpoints(cid)] == [10]
    log = c.log(cid)
    assert [e["type"] for e in log] == ["create", "addTasks", "next", "report"]
    assert log[3]["batchId"] == "b-1"
    assert "proxima_requests_seconds_count" in c.metrics()
    assert c.openapi()["openapi"].startswith("3.")
    c.delete(cid)
    with pytest.raises(NotFound):
        c.get(cid)


def test_errors_carry_the_servers_message_and_field(server):
    c = Client(server.url)
    cid = make(c, 5)
    with pytest.raises(BadRequest) as e:
        c.report(cid, [{"taskId": "nope", "rewards": [1.0]}])
    assert e.value.status == 400 and e.value.field == "outcomes[0].taskId" and "nope" in e.value.message
    with pytest.raises(BadRequest) as e:
        c.report(cid, [{"taskId": "t1", "rewards": ["x"]}])
    assert e.value.field == "outcomes[0].rewards[0]"
    with pytest.raises(ValueError):  # NaN never leaves the client: json refuses it
        c.report(cid, [{"taskId": "t1", "rewards": [float("nan")]}])
    with pytest.raises(BadRequest) as e:
        c.next(cid, 6)
    assert e.value.field == "n"
    with pytest.raises(BadRequest) as e:
        c.create(new_id(), {"recipe": "nope"})
    assert e.value.field == "config.recipe" and "known recipes" in e.value.message
    with pytest.raises(Conflict):
        c.create(cid, {})
    with pytest.raises(NotFound) as e:
        c.next("nobody", 1)
    assert e.value.field == "id"
    with pytest.raises(NotFound):
        c.restore(cid, 99)
    with pytest.raises(PayloadTooLarge):
        c.report(cid, [{"taskId": "t1", "rewards": [1.0] * 4096}] * 1200)
    assert isinstance(e.value, ProximaError)
    assert c.stats(cid)["reports"] == 0 and c.get(cid)["events"] == 1
    assert c.health()["status"] == "ok"


def test_same_batch_id_is_applied_once_also_concurrently(server):
    c = Client(server.url)
    cid = make(c, 10)
    sel = c.next(cid, 4, request_id="r1")
    assert c.next(cid, 4, request_id="r1") == sel  # a retried next gives the same batch
    out = outcomes_for(sel)
    answers = []

    def send():
        answers.append(Client(server.url).report(cid, out, batch_id="same"))

    threads = [threading.Thread(target=send) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(answers) == 8 and all(a == answers[0] for a in answers)
    assert c.stats(cid)["reports"] == 4
    with pytest.raises(Conflict) as e:
        c.report(cid, outcomes_for(sel, ok=lambda t, k: 1), batch_id="same")
    assert e.value.field == "batchId"


def test_client_retries_a_report_across_a_server_restart(fresh_server):
    c = Client(fresh_server.url, retries=8, backoff=0.2)
    cid = make(c, 10)
    sel = c.next(cid, 3)
    out = outcomes_for(sel)
    first = c.report(cid, out, batch_id="b1")
    port = fresh_server.url.rsplit(":", 1)[1]
    fresh_server.extra = ["--port", port]
    fresh_server.kill()  # kill -9

    # the trainer did not see the answer and retries while the server comes back
    def restart():
        fresh_server.extra = []
        fresh_server.proc = None
        import subprocess
        from conftest import JAR
        fresh_server.proc = subprocess.Popen(["java", "-XX:TieredStopAtLevel=1", "-jar", str(JAR), "serve", "--data-dir",
                                              str(fresh_server.data_dir), "--port", port],
                                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    t = threading.Timer(0.3, restart)
    t.start()
    again = c.report(cid, out, batch_id="b1")
    t.join()
    assert again == first
    assert c.stats(cid)["reports"] == 3


def test_token(tmp_path):
    from conftest import ServerProcess
    s = ServerProcess(tmp_path / "d", "--token", "s3cret")
    try:
        assert Client(s.url).health()["status"] == "ok"
        with pytest.raises(Unauthorized) as e:
            Client(s.url).list()
        assert e.value.field == "Authorization"
        assert Client(s.url, token="s3cret").list() == []
    finally:
        s.kill()


class FakeArray:
    """Stands for a numpy array or torch tensor: only tolist() is used."""

    def __init__(self, values):
        self.values = values

    def tolist(self):
        return list(self.values)


def test_array_likes_are_sent_as_lists(server):
    c = Client(server.url)
    cid = make(c, 6, rollouts=2)
    sel = c.next(cid, 2)
    rep = c.report(cid, [{"taskId": t["id"], "rewards": FakeArray([1.0, 0.0])} for t in sel["tasks"]])
    assert rep["accepted"] == 2 and all(v["effective"] for v in rep["verdicts"])

"""Continuous curricula end to end against a real server: the client helpers and ParamSampler."""
import itertools
import math

import pytest

from proxima_client import BadRequest, Client, Conflict, EnvParams, NotFound, ParamSampler, continuous_config, param_outcome

_ids = itertools.count()
BOX = {"stump_height": (0.0, 3.0), "stump_spacing": (0.0, 6.0)}


def new_id():
    return f"w{next(_ids)}"


def episode_return(params):
    """A toy environment: learnable where the stumps are low."""
    return max(0.0, 1.0 - params["stump_height"] / 1.5) * (0.5 + 0.5 * math.sin(params["stump_spacing"]))


def in_box(params):
    return list(params) == list(BOX) and all(BOX[k][0] <= v <= BOX[k][1] for k, v in params.items())


def make(c, **config):
    cid = new_id()
    c.create_continuous(cid, BOX, **dict({"teacher": "alp-gmm", "seed": 7, "fitRate": 20}, **config))
    return cid


def test_config_helper_accepts_every_box_shape():
    want = {"space": {"dims": [{"name": "a", "low": 0, "high": 1}, {"name": "b", "low": -1, "high": 2}]}}
    assert continuous_config({"a": (0, 1), "b": (-1, 2)}) == want
    assert continuous_config([("a", 0, 1), ("b", -1, 2)]) == want
    assert continuous_config([{"name": "a", "low": 0, "high": 1}, {"name": "b", "low": -1, "high": 2}]) == want
    full = continuous_config({"a": (0, 1)}, teacher="riac", seed=3, reward_scale=(-150, 350), pending_window=128, maxRegionSize=50)
    assert full["teacher"] == {"type": "riac", "maxRegionSize": 50}
    assert full["rewardScale"] == {"low": -150, "high": 350} and full["seed"] == 3 and full["pendingWindow"] == 128
    assert param_outcome(EnvParams(4, {"a": 0.5}), 1.0) == {"taskId": 4, "returns": [1.0]}
    assert param_outcome({"id": 5, "params": {"a": 0.5}}, [1, 2]) == {"taskId": 5, "returns": [1, 2]}
    assert param_outcome(6, (0.5,)) == {"taskId": 6, "returns": [0.5]}
    assert param_outcome({"a": 0.5}, 2) == {"params": {"a": 0.5}, "returns": [2]}
    assert param_outcome((0.5, 1.5), 2) == {"params": [0.5, 1.5], "returns": [2]}


def test_create_next_and_report_by_id_and_by_params(server):
    c = Client(server.url)
    cid = make(c)
    info = c.get(cid)
    assert info["kind"] == "continuous" and info["teacherType"] == "alp-gmm" and info["proposed"] == 0
    assert [d["name"] for d in info["config"]["space"]["dims"]] == list(BOX)
    tasks = c.next_params(cid, 6, request_id="n0")
    assert [t["id"] for t in tasks] == list(range(6))
    assert all(in_box(t["params"]) for t in tasks)
    rep = c.report_params(cid, [
        (tasks[0], episode_return(tasks[0]["params"])),                  # a proposal: by id
        (1, [0.25, 0.5]),                                                # an id, two episodes
        (tasks[2]["params"], 0.75),                                      # by params, by name
        ([1.0, 2.0], -1.0),                                              # any point of the box, in dimension order
        {"taskId": 4, "params": tasks[4]["params"], "returns": [0.1]},   # an outcome dict
    ], batch_id="b0")
    assert rep == {"batchId": "b0", "accepted": 5, "episodes": 6}
    stats = c.stats(cid)
    assert stats["kind"] == "continuous" and stats["episodes"] == 6 and stats["proposed"] == 6 and stats["batches"] == 1
    assert [e["type"] for e in c.log(cid)] == ["create", "paramNext", "paramReport"]
    assert 'proxima_last_mean_return{curriculum="%s"}' % cid in c.metrics()
    c.delete(cid)
    with pytest.raises(NotFound):
        c.stats(cid)


def test_retries_with_the_same_ids_are_applied_once(server):
    c = Client(server.url)
    cid = make(c)
    tasks = c.next_params(cid, 4, request_id="r1")
    assert c.next_params(cid, 4, request_id="r1") == tasks  # a retried next gives the same proposals
    results = [(t, episode_return(t["params"])) for t in tasks]
    first = c.report_params(cid, results, batch_id="same")
    assert c.report_params(cid, results, batch_id="same") == first
    assert c.stats(cid)["episodes"] == 4
    with pytest.raises(Conflict) as e:
        c.report_params(cid, [(t, 0.0) for t in tasks], batch_id="same")
    assert e.value.field == "batchId"


def train(c, cid, steps, n=8):
    """`steps` rounds of next + report by id; returns the proposals."""
    seen = []
    for _ in range(steps):
        tasks = c.next_params(cid, n)
        seen.append(tasks)
        c.report_params(cid, [(t, episode_return(t["params"])) for t in tasks])
    return seen


def test_checkpoint_restore_gives_identical_later_proposals(server):
    c = Client(server.url)
    cid = make(c)
    train(c, cid, 5)  # past the first ALP-GMM fit (fitRate 20)
    c.checkpoint(cid, 5)
    later = train(c, cid, 3)
    stats = c.stats(cid)
    c.restore(cid, 5)
    assert train(c, cid, 3) == later
    assert c.stats(cid) == stats
    # and the same configuration and calls on another curriculum give the same proposals
    twin = make(c)
    assert c.next_params(twin, 8) == c.next_params(make(c), 8)


def test_bad_input_is_refused_with_its_field_and_changes_nothing(server):
    c = Client(server.url)
    cid = make(c, pending_window=16)
    tasks = c.next_params(cid, 4)
    before = (c.stats(cid), c.log(cid))
    cases = [
        ([({"stump_height": 4.0, "stump_spacing": 1.0}, 1.0)], "outcomes[0].params.stump_height", "outside"),
        ([(tasks[0], 1.0), (99, 1.0)], "outcomes[1].taskId", "never proposed"),
        ([([1.0], 1.0)], "outcomes[0].params", "the space has 2 dimensions"),
        ([({"stump_height": 1.0}, 1.0)], "outcomes[0].params.stump_spacing", "every dimension"),
        ([({"stump_height": 1.0, "stump_spacing": 1.0, "gap": 0.5}, 1.0)], "outcomes[0].params.gap", "unknown dimension"),
        ([(tasks[0], [])], "outcomes[0].returns", "at least one"),
        ([(tasks[0], ["x"])], "outcomes[0].returns[0]", "a string"),
        ([{"taskId": 0, "rewards": [1.0]}], "outcomes[0].rewards", "unknown field"),
    ]
    for results, field, words in cases:
        with pytest.raises(BadRequest) as e:
            c.report_params(cid, results)
        assert e.value.field == field and words in e.value.message, (field, e.value)
    with pytest.raises(ValueError):  # NaN never leaves the client: json refuses it
        c.report_params(cid, [(tasks[0], float("nan"))])
    with pytest.raises(BadRequest) as e:
        c.next_params(cid, 17)
    assert e.value.field == "n" and "pendingWindow=16" in e.value.message
    with pytest.raises(Conflict) as e:
        c.add_tasks(cid, ["t1"])
    assert e.value.field == "kind" and "continuous" in e.value.message
    with pytest.raises(BadRequest) as e:
        c.create_continuous(new_id(), [("x", 1, 0)])
    assert e.value.field == "config.space.dims" and "low must be < high" in e.value.message
    with pytest.raises(BadRequest) as e:
        c.create_continuous(new_id(), BOX, teacher="alp-gmm", fitRat=5)
    assert e.value.field == "config.teacher.fitRat"
    with pytest.raises(BadRequest) as e:
        c.create(new_id(), {"recipe": "sec"}, kind="continuous")
    assert e.value.field == "config.space"
    assert (c.stats(cid), c.log(cid)) == before


def test_param_sampler_drives_a_deep_rl_loop_and_resumes_exactly(server):
    c = Client(server.url)
    cid = new_id()
    sampler = ParamSampler(c, cid, BOX, batch_size=8, report_every=5, teacher="alp-gmm", seed=3, fitRate=20)
    assert sampler.names == list(BOX)
    answers = []
    for episode in range(60):
        params = sampler.sample()
        assert isinstance(params, EnvParams) and in_box(params) and params.id == episode
        assert params.vector == [params["stump_height"], params["stump_spacing"]]
        # every fourth episode reports by params (a hand-picked evaluation task would, too)
        task = dict(params) if episode % 4 == 0 else params
        res = sampler.update(task, episode_return(params))
        if res is not None:
            answers.append(res)
    assert [a["accepted"] for a in answers] == [5] * 12
    assert sampler.flush() is None
    params = sampler.sample()  # the 61st of 8 batches of 8: 3 proposals stay in the buffer
    sampler.update(params, episode_return(params))
    state = sampler.state_dict()  # flushes the 61st return first
    assert state["step"] == 13 and len(state["buffer"]) == 3
    stats = c.stats(cid)
    assert stats["episodes"] == 61 and stats["proposed"] == 64 and stats["teacher"]["fits"] >= 1

    def run(s, n):
        seen = []
        for _ in range(n):
            p = s.sample()
            seen.append((p.id, dict(p)))
            s.update(p, episode_return(p))
        s.flush()
        return seen

    first = run(sampler, 20)
    resumed = ParamSampler(c, cid, batch_size=8, report_every=5)  # the curriculum exists: no dims needed
    resumed.load_state_dict(state)
    assert run(resumed, 20) == first
    assert c.stats(cid)["episodes"] == 81


def test_param_sampler_refuses_a_discrete_curriculum_and_a_missing_one(server):
    c = Client(server.url)
    cid = new_id()
    c.create(cid, {"recipe": "sec"})
    with pytest.raises(ValueError):
        ParamSampler(c, cid)
    with pytest.raises(NotFound):
        ParamSampler(c, new_id())
    missing = new_id()
    with pytest.raises(ValueError) as e:  # ids would leave the pending window before their report
        ParamSampler(c, missing, BOX, batch_size=8, report_every=16, pending_window=20)
    assert "pendingWindow 20" in str(e.value)
    with pytest.raises(NotFound):  # refused before anything was created
        c.get(missing)

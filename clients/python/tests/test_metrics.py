import itertools

import pytest

from proxima_client import Client, CurriculumMetrics

_ids = itertools.count()


class WandbLike:
    def __init__(self):
        self.calls = []

    def log(self, data, step=None):
        self.calls.append((data, step))


class SummaryWriterLike:
    def __init__(self):
        self.scalars = []

    def add_scalar(self, tag, value, global_step=None):
        self.scalars.append((tag, value, global_step))


def test_group_share_pass_rate_and_effective_ratio_reach_every_kind_of_sink(server):
    c = Client(server.url)
    cid = f"m{next(_ids)}"
    c.create(cid, {"recipe": "uniform", "seed": 1, "rollouts": 4}, tasks=[{"id": "a", "group": "easy"}, {"id": "b", "group": "hard"}])
    c.next(cid, 2)
    # by hand: easy all solved (no gradient), hard half solved (gradient): effective ratio 1/2;
    # pass rates are the server's Beta posterior means, passed through as they are
    c.report(cid, [{"taskId": "a", "rewards": [1, 1, 1, 1]}, {"taskId": "b", "rewards": [1, 0, 1, 0]}])
    stats = c.stats(cid)
    calls = []
    wb, tb = WandbLike(), SummaryWriterLike()
    m = CurriculumMetrics(c, cid, lambda d, step: calls.append((d, step)), wb, tb)
    out = m.log(7)
    assert out["curriculum/effective_ratio"] == 0.5
    assert out["curriculum/group/easy/share"] == 0.5 and out["curriculum/group/hard/share"] == 0.5
    assert out["curriculum/group/easy/effective_ratio"] == 0.0 and out["curriculum/group/hard/effective_ratio"] == 1.0
    groups = {g["name"]: g for g in stats["groups"]}
    assert out["curriculum/group/hard/pass_rate"] == groups["hard"]["meanPassRate"]
    assert out["curriculum/group/easy/pass_rate"] > out["curriculum/group/hard/pass_rate"]
    assert calls == [(out, 7)] and wb.calls == [(out, 7)]
    assert sorted(tb.scalars) == sorted((k, v, 7) for k, v in out.items())


def test_values_not_known_yet_are_left_out_and_a_non_sink_is_refused(server):
    c = Client(server.url)
    cid = f"m{next(_ids)}"
    c.create(cid, {"recipe": "sec", "rollouts": 2}, tasks=["a", "b"])
    out = CurriculumMetrics(c, cid).log(0)
    assert "curriculum/effective_ratio" not in out and out["curriculum/reports"] == 0.0
    with pytest.raises(TypeError, match="not a sink"):
        CurriculumMetrics(c, cid, 42)

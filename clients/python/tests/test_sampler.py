import itertools

import pytest

from proxima_client import Client, CurriculumSampler

_ids = itertools.count()


class Dataset:
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return {"prompt": f"question {i}", "category": ["easy", "hard"][i % 2]}


def rewards_of(index, rollouts):
    # even prompts are easy (always solved), odd ones half solved
    return [1.0] * rollouts if index % 2 == 0 else [float(k % 2) for k in range(rollouts)]


def test_sampler_follows_the_sampler_protocol_and_reports_back(server):
    ds = Dataset(40)
    s = CurriculumSampler(ds, {"train_batch_size": 8, "curriculum": {"url": server.url, "id": f"s{next(_ids)}",
                                                                    "config": {"recipe": "sec", "seed": 3, "rollouts": 4}}},
                          group_of=lambda i: ds[i]["category"])
    assert len(s) == 40
    it = iter(s)
    batch = [next(it) for _ in range(8)]
    assert len(set(batch)) == 8 and all(0 <= i < 40 for i in batch)
    res = s.update({i: rewards_of(i, 4) for i in batch})
    assert res["accepted"] == 8
    with pytest.warns(RuntimeWarning, match="without an update"):  # iterated without updates: it says so, once
        rest = list(s)  # a new iterator finishes the epoch the first one started (what a resumed loader does)
    assert len(rest) == 32
    epoch = list(s)
    assert len(epoch) == 40
    stats = s.client.stats(s.curriculum)
    assert stats["reports"] == 8
    assert sorted(g["name"] for g in stats["groups"]) == ["easy", "hard"]


def test_state_dict_restores_exactly_the_curriculum_of_that_step(server):
    ds = Dataset(30)
    cid = f"s{next(_ids)}"
    s = CurriculumSampler(ds, url=server.url, curriculum=cid, batch_size=6, config={"recipe": "odf", "seed": 5, "rollouts": 4})
    for _ in range(3):
        b = s.next_batch()
        s.update([(i, rewards_of(i, 4)) for i in b])
    state = s.state_dict(step=1200)
    after = []
    for _ in range(3):
        b = s.next_batch()
        after.append(b)
        s.update([{"index": i, "rewards": rewards_of(i, 4)} for i in b])
    # a resumed trainer: new sampler object, same curriculum, loads the step-1200 state
    resumed = CurriculumSampler(ds, url=server.url, curriculum=cid, batch_size=6, register=False)
    resumed.load_state_dict(state)
    again = []
    for _ in range(3):
        b = resumed.next_batch()
        again.append(b)
        resumed.update([{"index": i, "rewards": rewards_of(i, 4)} for i in b])
    assert again == after
    assert [c["step"] for c in Client(server.url).checkpoints(cid)] == [1200]


class FakeTensor:
    def __init__(self, rows):
        self.rows = rows

    def sum(self, dim):
        return FakeTensor([sum(r) for r in self.rows])

    def tolist(self):
        return list(self.rows)


class FakeDataProto:
    """The parts of verl's DataProto the sampler reads."""

    def __init__(self, indices, token_scores):
        self.non_tensor_batch = {"index": indices}
        self.batch = {"token_level_scores": FakeTensor(token_scores)}


def test_update_accepts_a_verl_dataproto(server):
    ds = Dataset(12)
    s = CurriculumSampler(ds, url=server.url, curriculum=f"s{next(_ids)}", batch_size=3, config={"rollouts": 2})
    b = s.next_batch()
    rows = [i for i in b for _ in range(2)]  # two rollouts per prompt, grouped by index
    scores = [[0, 0, 1] if k % 2 == 0 else [0, 0, 0] for k in range(len(rows))]
    res = s.update(FakeDataProto(rows, scores))
    assert res["accepted"] == 3
    assert all(v["passRate"] == 0.5 for v in res["verdicts"])

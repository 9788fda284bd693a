"""CurriculumSampler in a plain PyTorch loop: the DataLoader stand-in (standins/torch_fad6048.py), a real server."""
import itertools
import warnings

import pytest

from proxima_client import Client, Conflict, CurriculumSampler
from standins.fakes import FakeTensor, Learner
from standins.torch_fad6048 import loaders

ROWS = lambda rows: rows  # noqa: E731  collate: the rows as they are

_ids = itertools.count()
N = 40


class Dataset:
    def __len__(self):
        return N

    def __getitem__(self, i):
        return {"index": i, "group": f"g{i % 4}"}


def sampler(server, cid, **kw):
    kw.setdefault("config", {"recipe": "sec", "seed": 9, "rollouts": 4})
    return CurriculumSampler(Dataset(), url=server.url, curriculum=cid, batch_size=16, group_of=lambda i: f"g{i % 4}", **kw)


def train(loader, s, learner, steps, start=0, save_at=None, saved=None):
    """The loop: each batch's rows are trained on, their rewards reported; returns the batches."""
    seen = []
    step = start
    for epoch_batch in loader:
        idx = [row["index"] for row in epoch_batch]
        s.update({i: learner.rewards(str(i), step, 4) for i in idx})
        seen.append(idx)
        step += 1
        if save_at is not None and step == save_at:
            saved.update(s.state_dict(step=step))
        if step - start == steps:
            break
    return seen


@pytest.mark.parametrize("DataLoader", loaders(), ids=lambda c: c.__module__.split(".")[0])
def test_resume_mid_epoch_gives_exactly_the_batches_of_a_run_that_never_stopped(server, DataLoader):
    learner = Learner([str(i) for i in range(N)])
    ref = sampler(server, f"pt{next(_ids)}")
    ref_batches = []
    for _ in range(2):  # two epochs of 40 rows in batches of 16: 16, 16, 8 per epoch
        ref_batches += train(DataLoader(Dataset(), 16, sampler=ref, collate_fn=ROWS), ref, learner, 10, start=len(ref_batches))
    assert [len(b) for b in ref_batches] == [16, 16, 8, 16, 16, 8]
    cid = f"pt{next(_ids)}"
    s = sampler(server, cid)
    saved = {}
    first = train(DataLoader(Dataset(), 16, sampler=s, collate_fn=ROWS), s, learner, 2, save_at=1, saved=saved)  # saves after step 1, dies after 2
    resumed = sampler(server, cid, register=False)
    resumed.load_state_dict(saved)
    rest = train(DataLoader(Dataset(), 16, sampler=resumed, collate_fn=ROWS), resumed, learner, 10, start=1)  # finishes the epoch
    rest += train(DataLoader(Dataset(), 16, sampler=resumed, collate_fn=ROWS), resumed, learner, 10, start=1 + len(rest))
    assert first[:1] + rest == ref_batches
    c = Client(server.url)
    assert c.stats(cid)["reports"] == c.stats(ref.curriculum)["reports"]
    # the epoch's last batch asked for the 8 rows it used, not 16: every selection was reported
    assert c.stats(cid)["selections"] == c.stats(cid)["reports"] == 2 * N


def test_update_takes_tensors_arrays_and_pairs(server):
    s = sampler(server, f"pt{next(_ids)}")
    b = s.next_batch(4)
    rows = FakeTensor([[1.0, 0.0, 1.0, 1.0], [0.0, 0.0, 0.0, 0.0], [1.0, 1.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]])
    assert s.update(FakeTensor(b), rows)["accepted"] == 4  # update(indices, rewards) as tensors
    np = pytest.importorskip("numpy")
    b = s.next_batch(4)
    res = s.update(np.array(b, dtype=np.int64), np.array([[1, 0, 0, 0]] * 4, dtype=np.float32))
    assert res["accepted"] == 4 and all(v["passRate"] == 0.25 for v in res["verdicts"])
    b = s.next_batch(2)
    res = s.update({np.int64(b[0]): np.array([1.0, 1.0, 1.0, 1.0]), int(b[1]): [0, 0, 0, 0]})
    assert res["accepted"] == 2
    with pytest.raises(ValueError, match="same length"):
        s.update([1, 2, 3], [[1.0]])


@pytest.mark.parametrize("DataLoader", loaders(), ids=lambda c: c.__module__.split(".")[0])
def test_a_dataloader_with_workers_is_reported_not_silent(server, DataLoader):
    s = sampler(server, f"pt{next(_ids)}")
    loader = DataLoader(Dataset(), 16, sampler=s, num_workers=2, collate_fn=ROWS)
    with pytest.warns(RuntimeWarning, match="num_workers"):
        batch = next(iter(loader))
    assert len(batch) == 16
    quiet = sampler(server, f"pt{next(_ids)}")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        train(DataLoader(Dataset(), 16, sampler=quiet, collate_fn=ROWS), quiet, Learner([str(i) for i in range(N)]), 3)


def test_a_reused_id_with_another_config_is_refused_naming_the_difference(server):
    cid = f"pt{next(_ids)}"
    sampler(server, cid)
    with pytest.raises(Conflict) as e:
        sampler(server, cid, config={"recipe": "dump", "seed": 9, "rollouts": 4})
    assert e.value.field == "config.recipe" and "dump" in e.value.message
    again = sampler(server, cid)  # the same config: the same curriculum, tasks not uploaded twice
    assert Client(server.url).get(cid)["tasks"] == N and again.curriculum == cid
    resumed = sampler(server, cid, config={"recipe": "dump"}, resume=True)
    assert Client(server.url).get(resumed.curriculum)["recipe"] == "sec"
    with pytest.raises(ValueError, match="name the curriculum"):
        CurriculumSampler(Dataset(), url=server.url, batch_size=4)

"""proxima_client.verl against the verl stand-in (standins/verl_00401103.py) and a real server."""
import importlib
import itertools

import pytest

from proxima_client import Client
from standins import verl_00401103 as verl
from standins.fakes import Learner
from standins.torchdata_e2b35aa import loaders

_ids = itertools.count()


@pytest.fixture(params=["with-verl", "without-verl"])
def adapter(request):
    """proxima_client.verl imported with verl's sampler classes present (the sampler subclasses them) and absent."""
    if request.param == "with-verl":
        verl.install_sampler_module()
    else:
        verl.block_sampler_module()
    import proxima_client.verl as mod
    mod = importlib.reload(mod)
    yield mod
    verl.uninstall_sampler_module()
    importlib.reload(mod)


def config(url, cid, **data):
    d = {"train_batch_size": 8, "dataloader_num_workers": 0,
         "curriculum": {"url": url, "id": cid, "config": {"recipe": "sec", "seed": 5, "rollouts": 4}}}
    d.update(data)
    return {"data": d, "rollout_n": 4, "trainer": {"total_epochs": 2, "save_freq": 3}}


def two_files():
    return [verl.parquet_file("openai/gsm8k", 40), verl.parquet_file("lighteval/MATH", 40)]


def reported(client, cid):
    """task id -> every reward the server was told, in log order."""
    out = {}
    for e in client.log(cid):
        if e["type"] == "report":
            for o in e["outcomes"]:
                out.setdefault(o["taskId"], []).extend(o["rewards"])
    return out


def trained(trainer):
    out = {}
    for step in trainer.trained:
        for key, rs in step:
            out.setdefault(key, []).extend(rs)
    return out


def test_verl_accepts_the_sampler_and_every_reward_goes_to_the_row_that_earned_it(server, adapter):
    cid = f"verl{next(_ids)}"
    cfg = config(server.url, cid)
    ds = verl.RLHFDataset(two_files())
    if adapter._VerlBase is object:
        with pytest.raises(AssertionError):  # without verl's base class, verl's type check refuses it
            verl.create_rl_sampler(cfg["data"], ds, adapter.ProximaSampler)
        return
    sampler = verl.create_rl_sampler(cfg["data"], ds, adapter.ProximaSampler)
    learner = Learner([f"{s}/{i}" for s in ("openai/gsm8k", "lighteval/MATH") for i in range(40)])
    trainer = verl.RayPPOTrainer(cfg, ds, sampler, learner, {})
    trainer.fit()
    assert len(trainer.trained) == 2 * (80 // 8)
    c = Client(server.url)
    got, want = reported(c, cid), trained(trainer)
    assert set(got) == set(want)
    for key in want:  # the same rewards, whatever order verl's batch balancing put the rows in
        assert sorted(got[key]) == sorted(want[key]), key
    groups = {g["name"]: g for g in c.stats(cid)["groups"]}
    assert set(groups) == {"openai/gsm8k", "lighteval/MATH"}
    assert all(g["reports"] > 0 for g in groups.values())


@pytest.mark.parametrize("loader", loaders(), ids=lambda c: c.__module__.split(".")[0])
def test_resume_from_a_checkpoint_continues_exactly_like_a_run_that_never_stopped(server, adapter, loader):
    if adapter._VerlBase is object:
        pytest.skip("verl refuses a sampler without its base class (the test above)")
    learner = Learner([f"{s}/{i}" for s in ("openai/gsm8k", "lighteval/MATH") for i in range(40)], seed=3)
    # the reference: 20 steps without a stop
    ref_cfg = config(server.url, f"verl{next(_ids)}")
    ref = verl.RayPPOTrainer(ref_cfg, ds := verl.RLHFDataset(two_files()), verl.create_rl_sampler(ref_cfg["data"], ds, adapter.ProximaSampler), learner, {}, loader)
    ref.fit()
    # the same run, killed after step 13 (checkpoints at 3, 6, 9, 12), resumed by a new process from step 12
    cfg = config(server.url, f"verl{next(_ids)}")
    checkpoints = {}
    first = verl.RayPPOTrainer(cfg, ds := verl.RLHFDataset(two_files()), verl.create_rl_sampler(cfg["data"], ds, adapter.ProximaSampler), learner, checkpoints, loader)
    first.fit(stop_after=13)
    assert sorted(checkpoints) == [3, 6, 9, 12]
    ds2 = verl.RLHFDataset(two_files())
    second = verl.RayPPOTrainer(cfg, ds2, verl.create_rl_sampler(cfg["data"], ds2, adapter.ProximaSampler), learner, checkpoints, loader)
    second.fit(resume_step=12)
    assert first.trained[:12] + second.trained == ref.trained  # step 12's epoch position, batches and rewards
    c = Client(server.url)
    assert c.stats(cfg["data"]["curriculum"]["id"])["reports"] == c.stats(ref_cfg["data"]["curriculum"]["id"])["reports"]


def test_gen_batch_size_is_the_batch_and_an_epoch_is_whole_batches(server, adapter):
    cid = f"verl{next(_ids)}"
    cfg = config(server.url, cid, gen_batch_size=12)
    ds = verl.RLHFDataset(two_files())
    s = adapter.ProximaSampler(ds, cfg["data"])
    assert s.batch_size == 12 and len(s) == 72  # 80 rows: 6 whole batches of 12, none selected and dropped
    with pytest.warns(RuntimeWarning, match="without an update"):  # iterated without updates: it says so
        assert len(list(iter(s))) == 72
    assert Client(server.url).get(cid)["batches"] == 6


def test_rows_that_cannot_be_told_apart_are_refused_at_start(server, adapter):
    same_source = [verl.parquet_file("math", 10), verl.parquet_file("math", 10)]  # two files, indices 0..9 twice
    with pytest.raises(ValueError, match="share a data_source/extra_info.index"):
        adapter.ProximaSampler(verl.RLHFDataset(same_source), config(server.url, f"verl{next(_ids)}")["data"])
    no_index = [[{"data_source": "x", "prompt": "p"}]]
    with pytest.raises(ValueError, match="no extra_info.index"):
        adapter.ProximaSampler(verl.RLHFDataset(no_index), config(server.url, f"verl{next(_ids)}")["data"])


@pytest.mark.parametrize("curriculum_config", [{"recipe": "knapsack"}, {"recipe": "sec", "allocator": {"type": "gvm"}}])
def test_an_allocator_that_varies_rollouts_per_prompt_is_refused_before_anything_is_created(server, adapter, curriculum_config):
    cid = f"verl{next(_ids)}"
    cfg = config(server.url, cid)
    cfg["data"]["curriculum"]["config"] = dict(curriculum_config)
    with pytest.raises(ValueError, match="varies rollouts per prompt; verl generates"):
        adapter.ProximaSampler(verl.RLHFDataset(two_files()), cfg["data"])
    assert cid not in [c["id"] for c in Client(server.url).list()]

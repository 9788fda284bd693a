"""proxima_client.trl against the GRPOTrainer stand-in (standins/trl_d2b69d7.py) and a real server."""
import itertools
import threading

import pytest

from proxima_client import Client
from proxima_client.trl import ProximaGRPOMixin, TRLCurriculum
from standins import trl_d2b69d7 as trl

_ids = itertools.count()
DATA = [{"prompt": f"q{i}"} for i in range(24)]
EVAL = [{"prompt": f"q{i}"} for i in range(100, 108)]


class Trainer(ProximaGRPOMixin, trl.GRPOTrainer):
    pass


def rewards_of(i, step, k):
    return (float((i * 7 + k + step) % 3 == 0), float(i % 2))  # two reward functions


def run(world_size, server, cid, tmp, resume=None, stop_after=None, max_steps=12, evaluate=False, config=None, rewards=rewards_of):
    """One training run on `world_size` processes (threads); returns every process's trainer."""
    world = trl.World(world_size)
    trl.install_accelerate(world)
    trainers = [None] * world_size
    errors = []

    def process(rank):
        world.local.rank = rank
        try:
            args = trl.Args(str(tmp), num_processes=world_size, max_steps=max_steps)
            cur = TRLCurriculum(Client(server.url), cid, config or {"recipe": "sec", "seed": 11}, group_of=lambda i: f"g{i % 3}")
            t = Trainer(args, DATA, rewards, world, rank, eval_dataset=EVAL, curriculum=cur)
            trainers[rank] = t
            t.train(resume_from_checkpoint=resume, stop_after=stop_after)
            if evaluate:
                t.evaluate()
        except BaseException as e:  # noqa: BLE001  surfaced below
            errors.append(e)
            world.barrier.abort()

    threads = [threading.Thread(target=process, args=(r,)) for r in range(world_size)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(120)
    trl.uninstall_accelerate()
    if errors:
        raise errors[0]
    return trainers


def log_of(server, cid):
    log = Client(server.url).log(cid)
    return [e for e in log if e["type"] == "next"], [e for e in log if e["type"] == "report"]


@pytest.mark.parametrize("world_size", [1, 2])
def test_every_process_trains_on_the_curriculums_blocks_and_the_gathered_rewards_are_reported_once(server, tmp_path, world_size):
    cid = f"trl{next(_ids)}"
    trainers = run(world_size, server, cid, tmp_path, evaluate=True)
    main = trainers[0]
    g = main.num_generations
    nexts, reports = log_of(server, cid)
    gens = main.generated
    assert len(gens) == 12 * 2 // 2  # max_steps * grad_accum / steps_per_generation
    assert all(t.generated == gens for t in trainers)  # every process saw the same gathered batch
    assert len(nexts) == len(gens) == len(reports)  # one selection per block, whatever the process count
    for gen, rep in zip(gens, reports):
        block = [i for i, _ in gen[::g]]
        assert [i for i, _ in gen] == [i for i in block for _ in range(g)]  # GRPO groups: G consecutive copies
        want = {}
        for i, r in gen:
            want.setdefault(str(i), []).append(r)
        assert {o["taskId"]: o["rewards"] for o in rep["outcomes"]} == want
    # evaluation ran through _calculate_rewards after training: nothing reported, no KeyError
    assert Client(server.url).stats(cid)["reports"] == sum(len(r["outcomes"]) for r in reports)


def test_resume_spends_no_selection_on_skipped_batches_and_continues_like_a_run_that_never_stopped(server, tmp_path):
    ref_cid, cid = f"trl{next(_ids)}", f"trl{next(_ids)}"
    ref = run(1, server, ref_cid, tmp_path / "ref")[0]
    first = run(1, server, cid, tmp_path / "run", stop_after=10)[0]  # checkpoints at 4 and 8, dies after 10
    assert (tmp_path / "run" / "checkpoint-8" / "proxima.json").exists()
    second = run(1, server, cid, tmp_path / "run", resume=str(tmp_path / "run" / "checkpoint-8"))[0]
    assert first.generated[:8] + second.generated == ref.generated
    ref_nexts, ref_reports = log_of(server, ref_cid)
    nexts, reports = log_of(server, cid)
    assert len(nexts) == len(ref_nexts) and len(reports) == len(ref_reports)
    assert [r["outcomes"] for r in reports] == [r["outcomes"] for r in ref_reports]


def test_greso_over_the_walk_skips_solved_prompts_and_resumes_like_a_run_that_never_stopped(server, tmp_path):
    # The README's recipe for fixed-G trainers; its per-task streaks live in the server's checkpoint.
    config = {"recipe": "uniform", "itemPolicy": {"type": "greso"}, "seed": 11}

    def rewards(i, step, k):  # every third prompt is solved (all correct), the others mixed
        r = float(i % 3 == 0 or (i + k + step) % 2 == 0)
        return (r, r)

    ref_cid, cid = f"trl{next(_ids)}", f"trl{next(_ids)}"
    kw = dict(max_steps=120, config=config, rewards=rewards)
    ref = run(1, server, ref_cid, tmp_path / "ref", **kw)[0]
    first = run(1, server, cid, tmp_path / "run", stop_after=70, **kw)[0]
    second = run(1, server, cid, tmp_path / "run", resume=str(tmp_path / "run" / "checkpoint-68"), **kw)[0]
    assert first.generated[:68] + second.generated == ref.generated
    teacher = Client(server.url).stats(ref_cid)["teacher"]
    assert teacher["greso.skippedEasy"] > 0  # prompts whose group was all correct were passed over
    assert Client(server.url).stats(cid)["teacher"] == teacher


def test_a_config_asking_for_other_rollouts_than_num_generations_is_refused(server, tmp_path):
    world = trl.World(1)
    world.local.rank = 0
    cur = TRLCurriculum(Client(server.url), f"trl{next(_ids)}", {"rollouts": 8})
    with pytest.raises(ValueError, match="num_generations=4"):
        Trainer(trl.Args(str(tmp_path)), DATA, rewards_of, world, 0, curriculum=cur)


@pytest.mark.parametrize("config", [{"recipe": "knapsack"}, {"recipe": "sec", "allocator": {"type": "gvm"}},
                                    {"recipe": "uniform", "allocator": "cures"}])
def test_a_config_whose_allocator_varies_rollouts_per_prompt_is_refused_before_anything_is_created(server, tmp_path, config):
    world = trl.World(1)
    world.local.rank = 0
    cid = f"trl{next(_ids)}"
    cur = TRLCurriculum(Client(server.url), cid, dict(config))
    with pytest.raises(ValueError, match="varies rollouts per prompt"):
        Trainer(trl.Args(str(tmp_path)), DATA, rewards_of, world, 0, curriculum=cur)
    assert cid not in [c["id"] for c in Client(server.url).list()]


def test_a_selection_whose_rollouts_differ_from_num_generations_stops_the_run_with_the_reason(server, tmp_path):
    # a curriculum made elsewhere with a knapsack allocator, then resumed by the trainer: the first
    # block after a report has moved rollouts, which GRPOTrainer cannot generate
    cid = f"trl{next(_ids)}"
    client = Client(server.url)
    client.create(cid, {"recipe": "knapsack", "seed": 3, "rollouts": 4})
    client.add_tasks(cid, ({"id": str(i), "group": f"g{i % 3}"} for i in range(len(DATA))))
    sel = client.next(cid, len(DATA))
    client.report(cid, [{"taskId": t["id"], "rewards": [1.0] * t["rollouts"] if int(t["id"]) % 2 else [0.0] * t["rollouts"]}
                        for t in sel["tasks"][:12]] + [{"taskId": t["id"], "rewards": [1.0, 0.0] + [0.0] * (t["rollouts"] - 2)}
                                                       for t in sel["tasks"][12:]], batch_id="warm")
    world = trl.World(1)
    world.local.rank = 0
    cur = TRLCurriculum(client, cid, {"recipe": "uniform", "seed": 3}, resume=True)
    # blocks of 16 // 4 = 4 prompts: one prompt alone always gets all of its block's rollouts
    t = Trainer(trl.Args(str(tmp_path), per_device_train_batch_size=8), DATA, rewards_of, world, 0, curriculum=cur)
    with pytest.raises(ValueError, match="varies rollouts per prompt"):
        t.train()


def test_the_mixin_composes_with_the_real_grpo_trainer_when_trl_is_installed():
    real = pytest.importorskip("trl")
    cls = type("ProximaGRPOTrainer", (ProximaGRPOMixin, real.GRPOTrainer), {})
    for name in ("_get_train_sampler", "_calculate_rewards", "train"):
        assert getattr(cls, name) is getattr(ProximaGRPOMixin, name)

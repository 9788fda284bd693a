"""proxima_client.gymnasium.CurriculumEnv against a Gymnasium-contract environment and a real server."""
import importlib
import itertools

import pytest

from proxima_client import Client
from standins import gymnasium_31ad6e0 as gym
from standins.gymnasium_31ad6e0 import LevelEnv

_ids = itertools.count()


@pytest.fixture(autouse=True, params=["with-gymnasium", "without-gymnasium"])
def CurriculumEnv(request):
    """The wrapper subclasses gymnasium.Wrapper when gymnasium is importable, a plain base otherwise: both run."""
    if request.param == "with-gymnasium":
        gym.install()
    else:
        gym.block()
    import proxima_client.gymnasium as mod
    mod = importlib.reload(mod)
    assert (mod.CurriculumEnv.__mro__[1] is gym.Wrapper) == (request.param == "with-gymnasium")
    yield mod.CurriculumEnv
    gym.uninstall()
    importlib.reload(mod)


def play(env, episodes):
    for _ in range(episodes):
        obs, info = env.reset()
        done = False
        while not done:
            obs, r, term, trunc, info = env.step(0)
            done = term or trunc


def test_discrete_tasks_are_set_on_reset_and_each_task_reports_its_rollouts_returns(server, CurriculumEnv):
    c = Client(server.url)
    cid = f"gym{next(_ids)}"
    c.create(cid, {"recipe": "sec", "seed": 4, "rollouts": 3}, tasks=[{"id": f"lvl-{d}", "group": "easy" if d < 5 else "hard"} for d in range(10)])
    base = LevelEnv(skill=0.45)
    env = CurriculumEnv(base, c, cid, batch_size=4)
    play(env, 12)  # 4 tasks x 3 rollouts: exactly one batch
    log = c.log(cid)
    nexts = [e for e in log if e["type"] == "next"]
    reports = [e for e in log if e["type"] == "report"]
    assert len(nexts) == 1 and len(reports) == 1
    for o in reports[0]["outcomes"]:
        level = int(o["taskId"].split("-")[1])
        assert o["rewards"] == [3.0 if 0.45 > level / 10 else 0.0] * 3  # the return of each of its 3 episodes
    assert base.resets[:3] == [base.resets[0]] * 3  # a task's rollouts are played back to back


def test_a_reset_mid_episode_replays_the_task_and_new_task_is_not_reported(server, CurriculumEnv):
    c = Client(server.url)
    cid = f"gym{next(_ids)}"
    c.create(cid, {"recipe": "uniform", "seed": 1, "rollouts": 1}, tasks=[f"lvl-{d}" for d in range(10)])
    base = LevelEnv(skill=0.45)
    env = CurriculumEnv(base, c, cid, batch_size=2, score=lambda ret, info: float(info["success"]))
    _, info = env.reset()
    first = info["task"]
    env.step(0)
    _, info = env.reset()  # cut short: played again, nothing reported
    assert info["task"] == first
    play(env, 0)
    env.reset(new_task="lvl-9")  # evaluation on a task of our choosing
    assert base.difficulty == 0.9
    for _ in range(3):
        env.step(0)
    assert [e for e in c.log(cid) if e["type"] == "report"] == []
    play(env, 2)  # the two curriculum tasks, the first one still first
    reports = [e for e in c.log(cid) if e["type"] == "report"]
    assert len(reports) == 1 and {o["taskId"] for o in reports[0]["outcomes"]} >= {first}
    assert all(o["rewards"] in ([0.0], [1.0]) for o in reports[0]["outcomes"])


def test_continuous_curriculum_sets_parameters_and_reports_returns(server, CurriculumEnv):
    c = Client(server.url)
    cid = f"gym{next(_ids)}"
    c.create_continuous(cid, {"difficulty": (0, 1)}, teacher="random", seed=3)
    base = LevelEnv(skill=0.5)
    env = CurriculumEnv(base, c, cid, set_task=lambda e, p: e.set_task(dict(p)), batch_size=4)
    play(env, 8)
    env.close()
    stats = c.stats(cid)
    assert stats["episodes"] == 8
    log = [e for e in c.log(cid) if e["type"] == "paramReport"]
    returns = [r for e in log for o in e["outcomes"] for r in o["returns"]]
    assert returns == [3.0 if 0.5 > d else 0.0 for d in base.resets]


def test_an_environment_without_set_task_gets_a_clear_error(server, CurriculumEnv):
    c = Client(server.url)
    cid = f"gym{next(_ids)}"
    c.create(cid, {"rollouts": 1}, tasks=["a"])

    class Bare(LevelEnv):
        set_task = None

    with pytest.raises(TypeError, match="set_task"):
        CurriculumEnv(Bare(), c, cid).reset()

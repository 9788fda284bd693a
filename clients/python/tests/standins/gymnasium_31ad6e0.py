"""A Gymnasium environment with tasks, as gymnasium.core.Env defines the contract.

Written from Farama-Foundation/Gymnasium gymnasium/core.py @ 31ad6e0e65573839995a3b72778ab5f2e317b2ce:
reset(*, seed=None, options=None) -> (obs, info); step(action) -> (obs, reward, terminated,
truncated, info); `unwrapped` is the bare environment.
The stand-in module below (Env, Wrapper) is what `import gymnasium` gives the adapter when the
tests install it: Wrapper.__init__ keeps `env` and asserts it is an Env; reset/step/close go to it.
"""
import sys
import types


class Env:
    @property
    def unwrapped(self):
        return self


class Wrapper(Env):
    def __init__(self, env):
        self.env = env
        assert isinstance(env, Env)

    def step(self, action):
        return self.env.step(action)

    def reset(self, *, seed=None, options=None):
        return self.env.reset(seed=seed, options=options)

    def close(self):
        return self.env.close()

    @property
    def unwrapped(self):
        return self.env.unwrapped


def install():
    mod = types.ModuleType("gymnasium")
    mod.Env, mod.Wrapper = Env, Wrapper
    sys.modules["gymnasium"] = mod


def uninstall():
    sys.modules.pop("gymnasium", None)


def block():
    """`import gymnasium` fails, even where gymnasium is installed (the adapter's path without it)."""
    sys.modules["gymnasium"] = None


class LevelEnv(Env):
    """Each episode lasts `length` steps; a step pays 1 when the agent's skill exceeds the level's
    difficulty (a task id "lvl-3" or parameters {"difficulty": 0.3}), else 0."""

    def __init__(self, skill=0.5, length=3):
        self.skill, self.length = skill, length
        self.difficulty = None
        self.t = 0
        self.resets = []

    def set_task(self, task):
        self.difficulty = task["difficulty"] if isinstance(task, dict) else int(task.split("-")[1]) / 10

    def reset(self, *, seed=None, options=None):
        assert self.difficulty is not None, "reset before a task was set"
        self.t = 0
        self.resets.append(self.difficulty)
        return 0, {"difficulty": self.difficulty}

    def step(self, action):
        self.t += 1
        reward = 1.0 if self.skill > self.difficulty else 0.0
        return self.t, reward, self.t >= self.length, False, {"success": reward > 0}

    def close(self):
        pass

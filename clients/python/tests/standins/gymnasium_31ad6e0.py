"""A Gymnasium environment with tasks, as gymnasium.core.Env defines the contract.

Written from Farama-Foundation/Gymnasium gymnasium/core.py @ 31ad6e0e65573839995a3b72778ab5f2e317b2ce:
reset(*, seed=None, options=None) -> (obs, info); step(action) -> (obs, reward, terminated,
truncated, info); `unwrapped` is the bare environment.
"""


class LevelEnv:
    """Each episode lasts `length` steps; a step pays 1 when the agent's skill exceeds the level's
    difficulty (a task id "lvl-3" or parameters {"difficulty": 0.3}), else 0."""

    def __init__(self, skill=0.5, length=3):
        self.skill, self.length = skill, length
        self.difficulty = None
        self.t = 0
        self.resets = []

    @property
    def unwrapped(self):
        return self

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

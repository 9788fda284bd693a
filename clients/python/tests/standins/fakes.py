"""Tensor-like values without torch: what the adapters may receive from a framework."""
import random


class FakeTensor:
    """A 1-D or 2-D tensor of floats: sum(-1), tolist(), item(), indexing, len - what the adapters use."""

    def __init__(self, rows):
        self.rows = rows

    def sum(self, dim=-1):
        assert dim in (-1, 1)
        return FakeTensor([sum(r) for r in self.rows])

    def tolist(self):
        return [list(r) if isinstance(r, list) else r for r in self.rows]

    def item(self):
        assert len(self.rows) == 1
        return self.rows[0]

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        return FakeTensor(self.rows[i]) if isinstance(i, slice) else self.rows[i]


class Learner:
    """A simulated learner: task key -> success probability, rewards from a seeded generator per
    (key, step, rollout), so two runs that train on the same tasks get the same rewards."""

    def __init__(self, keys, seed=0):
        rnd = random.Random(seed)
        self.p = {k: rnd.choice([0.0, 0.2, 0.5, 0.8, 1.0]) for k in keys}

    def rewards(self, key, step, n):
        rnd = random.Random(f"{key}|{step}")
        return [1.0 if rnd.random() < self.p[key] else 0.0 for _ in range(n)]

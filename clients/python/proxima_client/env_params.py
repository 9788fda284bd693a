"""Environment parameters for a deep-RL loop, chosen by a continuous Proxima curriculum.

The teacher (ALP-GMM, Covar-GMM, RIAC or random) proposes points of a box of named parameters
(stump height and spacing of a BipedalWalker track, friction and mass of a simulator...); the loop
runs an episode on each and reports its return::

    sampler = ParamSampler(Client(url), "walker", {"stump_height": (0, 3), "stump_spacing": (0, 6)},
                           teacher="alp-gmm", seed=7, reward_scale=(-150, 350))
    for episode in range(20_000):
        params = sampler.sample()              # {"stump_height": 1.3, "stump_spacing": 4.1}; params.id == 17
        episode_return = run_episode(make_env(**params), policy)
        sampler.update(params, episode_return) # batched: one report per `report_every` episodes
    sampler.flush()

Proposals are fetched ``batch_size`` at a time and reports sent ``report_every`` at a time, each
with a request or batch id derived from this sampler's counters, so a retried call (the client
retries network failures and 502/503/504) is applied once. ``state_dict()`` / ``load_state_dict()``
map to server checkpoints: a run resumed from its checkpoint gets exactly the proposals it would
have had.
"""
import uuid
from typing import Any, Dict, List, Mapping, Optional

from .client import Box, Client, NotFound, param_outcome

__all__ = ["EnvParams", "ParamSampler"]

DEFAULT_PENDING_WINDOW = 4096  # the server's default (ContinuousConfig.DEFAULT_PENDING_WINDOW)


class EnvParams(dict):
    """One proposed task: a dict {dimension: value} in the box's dimension order (pass it to the
    environment as keyword arguments), with its task id in ``.id`` (reports by id are exact)."""

    __slots__ = ("id",)

    def __init__(self, task_id: int, params: Mapping[str, float]):
        super().__init__(params)
        self.id = task_id

    @property
    def vector(self) -> List[float]:
        """The values in dimension order."""
        return list(self.values())

    def __repr__(self) -> str:
        return f"EnvParams(id={self.id}, {dict.__repr__(self)})"


class ParamSampler:
    """Samples environment parameters from a continuous curriculum and reports episode returns.

    client: a Client; curriculum: its id. dims (with teacher, seed, reward_scale, pending_window and
    teacher parameters as keywords, see ``continuous_config``): create the curriculum if it does not
    exist; without dims it must exist. batch_size: proposals fetched per ``next`` call; report_every:
    episodes per report (default batch_size; 1 reports each episode at once).
    """

    def __init__(self, client: Client, curriculum: str, dims: Optional[Box] = None, *, batch_size: int = 16,
                 report_every: Optional[int] = None, **config: Any):
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        self.client = client
        self.curriculum = curriculum
        self.batch_size = batch_size
        self.report_every = report_every or batch_size
        if self.report_every < 1:
            raise ValueError(f"report_every must be >= 1, got {report_every}")
        try:
            info = client.get(curriculum)
        except NotFound:
            if dims is None:
                raise
            self._check_window(config.get("pending_window") or DEFAULT_PENDING_WINDOW)  # before creating anything
            info = client.create_continuous(curriculum, dims, **config)
        if info.get("kind") != "continuous":
            raise ValueError(f"curriculum {curriculum!r} is {info.get('kind')}, not continuous")
        self._check_window(int(info["config"].get("pendingWindow", DEFAULT_PENDING_WINDOW)))
        self.names: List[str] = [d["name"] for d in info["config"]["space"]["dims"]]
        self._run = uuid.uuid4().hex[:12]
        self._batches = 0
        self._updates = 0
        self._buffer: List[EnvParams] = []
        self._pending: List[Dict[str, Any]] = []
        self.last_report: Optional[Dict[str, Any]] = None

    def _check_window(self, window: int) -> None:
        # Returns are reported by task id, which the server accepts for its last pendingWindow proposals.
        if self.batch_size + self.report_every > window:
            raise ValueError(f"batch_size + report_every = {self.batch_size + self.report_every} exceeds the curriculum's "
                             f"pendingWindow {window}: ids would expire before they are reported")

    def sample(self) -> EnvParams:
        """The next proposed task (fetches ``batch_size`` proposals when none is left)."""
        if not self._buffer:
            tasks = self.client.next_params(self.curriculum, self.batch_size, request_id=f"{self._run}-next-{self._batches}")
            self._batches += 1
            self._buffer = [EnvParams(t["id"], t["params"]) for t in reversed(tasks)]
        return self._buffer.pop()

    def update(self, task: Any, episode_return: Any) -> Optional[Dict[str, Any]]:
        """Queues the return(s) of ``task`` (an EnvParams from sample(), a task id, a dict {dimension:
        value} or a vector in dimension order); sends a report once ``report_every`` are queued and
        returns its answer (else None)."""
        self._pending.append(param_outcome(task, episode_return))
        if len(self._pending) >= self.report_every:
            return self.flush()
        return None

    def flush(self) -> Optional[Dict[str, Any]]:
        """Reports what is queued now (a no-op when nothing is)."""
        if not self._pending:
            return None
        res = self.client.report(self.curriculum, self._pending, batch_id=f"{self._run}-update-{self._updates}")
        self._updates += 1
        self._pending = []
        self.last_report = res
        return res

    def state_dict(self, step: Optional[int] = None) -> Dict[str, Any]:
        """Flushes, stores a server checkpoint named by ``step`` (default: reports sent so far) and
        returns what ``load_state_dict`` needs, including the proposals fetched but not yet sampled."""
        self.flush()
        s = self._updates if step is None else int(step)
        self.client.checkpoint(self.curriculum, s)
        return {"curriculum": self.curriculum, "step": s, "batches": self._batches, "updates": self._updates,
                "buffer": [[t.id, dict(t)] for t in self._buffer]}

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Restores the server's curriculum to the checkpoint in ``state`` (discarding what came after)
        and this sampler to what it had then; unsent returns are dropped."""
        self.curriculum = state.get("curriculum", self.curriculum)
        self.client.restore(self.curriculum, int(state["step"]))
        self._batches = int(state.get("batches", 0))
        self._updates = int(state.get("updates", 0))
        self._buffer = [EnvParams(i, p) for i, p in state.get("buffer", [])]
        self._pending = []
        self._run = uuid.uuid4().hex[:12]

"""Gymnasium: a wrapper that sets an environment's task on ``reset()`` and reports each episode.

Checked against Farama-Foundation/Gymnasium ``gymnasium/core.py`` @ 31ad6e0e65573839995a3b72778ab5f2e317b2ce
(``Wrapper.__init__(env)``, ``reset(*, seed, options) -> (obs, info)``,
``step(action) -> (obs, reward, terminated, truncated, info)``, ``unwrapped``). It keeps the habits
of Syllabus' ``TaskWrapper``: ``reset(new_task=...)`` plays a given task, ``change_task(task)`` is
what a subclass overrides to apply a task, ``info["task"]`` names the task being played.

    env = CurriculumEnv(gymnasium.make("MyEnv-v0"), Client(url), "levels",
                        set_task=lambda env, task: env.unwrapped.load_level(task))      # discrete: task is a task id
    env = CurriculumEnv(make_walker(), Client(url), "walker",
                        set_task=lambda env, params: env.unwrapped.configure(**params))   # continuous: {dimension: value}

Discrete curricula: each selected task is played as many episodes as the selection's ``rollouts``;
its returns are reported together once they are all in (one outcome per task, a batch of tasks per
report). Continuous curricula: one episode per proposed parameter vector, through ``ParamSampler``.
``score(episode_return, info)`` turns an episode into the reported value (default: the return; use
e.g. ``lambda r, info: float(info["success"])`` for a pass/fail curriculum).
Episodes cut by a ``reset()`` before they ended are not reported; the task is played again.
"""
import uuid
from typing import Any, Callable, Dict, List, Optional, Tuple

from .client import Client
from .env_params import ParamSampler

try:
    from gymnasium import Wrapper as _WrapperBase
except ImportError:  # gymnasium absent: the same wrapper contract, on a plain base
    class _WrapperBase:  # type: ignore[no-redef]
        def __init__(self, env: Any):
            self.env = env

        @property
        def unwrapped(self) -> Any:
            return getattr(self.env, "unwrapped", self.env)

        def close(self) -> Any:
            return self.env.close() if hasattr(self.env, "close") else None

        def __getattr__(self, name: str) -> Any:
            if name.startswith("_"):
                raise AttributeError(name)
            return getattr(self.env, name)

__all__ = ["CurriculumEnv", "DiscreteTaskQueue"]


class DiscreteTaskQueue:
    """Tasks of a discrete curriculum, one episode at a time: a batch of ``batch_size`` tasks is
    fetched, each handed out ``rollouts`` times; the batch's returns are reported together."""

    def __init__(self, client: Client, curriculum: str, batch_size: int = 8):
        self.client, self.curriculum, self.batch_size = client, curriculum, batch_size
        self._run = uuid.uuid4().hex[:12]
        self._batches = 0
        self._reports = 0
        self._slots: List[str] = []         # episodes still to hand out, in order
        self._returns: Dict[str, List[float]] = {}
        self._expected: Dict[str, int] = {}
        self.last_report: Optional[Dict[str, Any]] = None

    def sample(self) -> str:
        if not self._slots and not self._expected:
            sel = self.client.next(self.curriculum, self.batch_size, request_id=f"{self._run}-next-{self._batches}")
            self._batches += 1
            for t in sel["tasks"]:
                self._expected[t["id"]] = self._expected.get(t["id"], 0) + int(t.get("rollouts", 1))
                self._slots.extend([t["id"]] * int(t.get("rollouts", 1)))
        if not self._slots:
            raise RuntimeError("every episode of the current batch was handed out and is still running: "
                               "with several environments on one queue, use batch_size >= the number of environments")
        return self._slots.pop(0)

    def giveback(self, task: str) -> None:
        """An episode that did not end: its task is played again first."""
        self._slots.insert(0, task)

    def finish(self, task: str, value: float) -> Optional[Dict[str, Any]]:
        self._returns.setdefault(task, []).append(float(value))
        if all(len(self._returns.get(t, [])) >= n for t, n in self._expected.items()):
            return self.flush()
        return None

    def flush(self) -> Optional[Dict[str, Any]]:
        outcomes = [{"taskId": t, "rewards": rs} for t, rs in self._returns.items() if rs]
        self._returns, self._expected = {}, {}
        if not outcomes:
            return None
        self.last_report = self.client.report(self.curriculum, outcomes, batch_id=f"{self._run}-report-{self._reports}")
        self._reports += 1
        return self.last_report


class _ParamQueue:
    def __init__(self, sampler: ParamSampler):
        self.sampler = sampler

    def sample(self) -> Any:
        return self.sampler.sample()

    def giveback(self, task: Any) -> None:
        self.sampler._buffer.append(task)  # popped next

    def finish(self, task: Any, value: float) -> Optional[Dict[str, Any]]:
        return self.sampler.update(task, value)

    def flush(self) -> Optional[Dict[str, Any]]:
        return self.sampler.flush()


class CurriculumEnv(_WrapperBase):
    """Wraps ``env``: every ``reset()`` plays the curriculum's next task, every finished episode is
    reported. ``set_task(env, task)`` applies a task (else ``change_task`` calls
    ``env.unwrapped.set_task(task)``); ``batch_size`` tasks are fetched per ``next``."""

    def __init__(self, env: Any, client: Client, curriculum: str, *, set_task: Optional[Callable[[Any, Any], None]] = None,
                 score: Optional[Callable[[float, Dict[str, Any]], float]] = None, batch_size: int = 8):
        super().__init__(env)
        info = client.get(curriculum)
        if info.get("kind") == "continuous":
            self.tasks: Any = _ParamQueue(ParamSampler(client, curriculum, batch_size=batch_size))
        else:
            self.tasks = DiscreteTaskQueue(client, curriculum, max(1, min(batch_size, int(info.get("tasks") or batch_size))))
        self._set_task = set_task
        self._score = score or (lambda episode_return, info: episode_return)
        self.task: Any = None
        self._from_curriculum = False
        self._running = False
        self._return = 0.0

    def change_task(self, new_task: Any) -> None:
        """Applies ``new_task`` to the environment (Syllabus' name; override it or pass ``set_task``)."""
        if self._set_task is not None:
            self._set_task(self.env, new_task)
            return
        setter = getattr(self.env.unwrapped, "set_task", None)
        if setter is None:
            raise TypeError(f"{type(self.env.unwrapped).__name__} has no set_task(task): pass set_task=lambda env, task: ... "
                            f"to CurriculumEnv, or override change_task")
        setter(new_task)

    def reset(self, *, seed: Optional[int] = None, options: Optional[Dict[str, Any]] = None,
              new_task: Any = None) -> Tuple[Any, Dict[str, Any]]:
        if self._running and self._from_curriculum:
            self.tasks.giveback(self.task)  # the episode did not end: not reported, played again
        if new_task is not None:  # a task of the caller's choosing (evaluation): played, not reported
            self.task, self._from_curriculum = new_task, False
        else:
            self.task, self._from_curriculum = self.tasks.sample(), True
        self.change_task(self.task)
        obs, info = self.env.reset(seed=seed, options=options)
        self._running, self._return = True, 0.0
        info = dict(info)
        info["task"] = self.task
        return obs, info

    def step(self, action: Any) -> Tuple[Any, Any, bool, bool, Dict[str, Any]]:
        obs, reward, terminated, truncated, info = self.env.step(action)
        self._return += float(reward)
        if (terminated or truncated) and self._running:
            self._running = False
            if self._from_curriculum:
                self.tasks.finish(self.task, self._score(self._return, info))
        return obs, reward, terminated, truncated, info

    def close(self) -> Any:
        """Reports what is finished and not yet reported, then closes the environment."""
        self.tasks.flush()
        return super().close()

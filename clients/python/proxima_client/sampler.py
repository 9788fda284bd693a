"""A curriculum sampler for Python trainers, backed by a Proxima server.

``CurriculumSampler`` follows the iterator protocol of a PyTorch ``Sampler`` (``__iter__`` yields
dataset indices, ``__len__``) without importing torch. It is what a plain PyTorch loop plugs into
``DataLoader(sampler=...)``, and the base of the framework adapters (``proxima_client.verl``,
``proxima_client.openrlhf``).

Contract, as a DataLoader with ``num_workers=0`` drives it:

- an epoch yields ``len(sampler)`` indices; each ``next`` asks the server for at most what is left
  of the epoch, so no task is selected and then dropped by the epoch's end;
- ``update(...)`` reports the results of the batch trained on; it accepts ``{index: rewards}``,
  ``(index, rewards)`` pairs, dicts, ``update(indices, rewards)`` with lists, numpy arrays or torch
  tensors, and verl-like batches (``non_tensor_batch`` + ``batch["token_level_scores"]``);
- ``state_dict()`` / ``load_state_dict()`` save and restore the server's curriculum (a checkpoint
  named by the step) *and* the position in the epoch, so a run resumed mid-epoch continues with
  exactly the batches it would have had. torchdata's ``StatefulDataLoader`` calls them itself.
- handing out more than ``max_ahead`` batches before an ``update`` warns once: a DataLoader with
  workers prefetches batches before the curriculum has seen the results of the previous ones.

Every ``next`` carries a request id and every ``update`` a batch id derived from this sampler's
counters, so a retried call (the client retries network failures and 502/503/504) is applied once.
"""
import uuid
import warnings
from typing import Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple

from .client import Client, Conflict

__all__ = ["CurriculumSampler", "to_outcomes"]


def _get(config: Any, key: str, default: Any = None) -> Any:
    """config[key] for dicts, config.key for objects (OmegaConf DictConfig answers both)."""
    if config is None:
        return default
    if isinstance(config, Mapping):
        v = config.get(key, default)
    else:
        v = getattr(config, key, default)
    return default if v is None else v


def _plain(value: Any) -> Any:
    """Lists and numbers out of numpy arrays, torch tensors and their scalars; other values unchanged."""
    f = getattr(value, "tolist", None)
    if callable(f):
        return f()
    f = getattr(value, "item", None)
    if callable(f):
        return f()
    return value


def _key(value: Any) -> Any:
    """A task key: a str stays, an int-like (int, numpy or tensor scalar, '17') becomes an int."""
    value = _plain(value)
    if isinstance(value, str) or isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise TypeError(f"a task must be named by a dataset index or a task id, got {value!r} ({type(value).__name__})")


def _rewards(value: Any) -> List[float]:
    value = _plain(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return [float(value)]
    return [float(_plain(r)) for r in value]


#: allocators that give every selected task the config's ``rollouts``
_FIXED_ALLOCATORS = {None, "uniform"}


def refuse_varying_rollouts(config: Any, trainer: str) -> None:
    """A trainer that generates one fixed number of completions per prompt cannot honour an
    allocator that moves rollouts between prompts: refuse such a config before anything is created.
    ``trainer`` says why, e.g. "GRPOTrainer generates num_generations=8 for every prompt"."""
    allocator = _get(config, "allocator", None)
    kind = _get(allocator, "type", None) if allocator is not None and not isinstance(allocator, str) else allocator
    if _get(config, "recipe", None) == "knapsack" and kind is None:
        kind = "knapsack"
    if kind not in _FIXED_ALLOCATORS:
        raise ValueError(f"the curriculum config's allocator {kind!r} varies rollouts per prompt; {trainer}: "
                         f"use allocator 'uniform' (e.g. recipe 'uniform' instead of 'knapsack')")


def refuse_varying_selection(curriculum: str, tasks: Sequence[Mapping[str, Any]], count: int, trainer: str) -> None:
    """The run-time side: a selection that asks for another number of rollouts than the trainer generates."""
    for t in tasks:
        if int(t.get("rollouts", count)) != count:
            raise ValueError(f"curriculum {curriculum!r} asks for {t['rollouts']} rollouts of task {t['id']!r}: its allocator "
                             f"varies rollouts per prompt, {trainer}; use an allocator 'uniform'")


def to_outcomes(batch: Any, rewards: Any = None, id_of: Callable[[Any], str] = str) -> List[Dict[str, Any]]:
    """The server's outcome dicts for one step's results; rows of the same task are merged, in order.

    ``batch`` is ``{index: rewards}``, a sequence of ``(index, rewards)`` pairs or of dicts
    ``{"index"|"taskId", "rewards", "tokenLengths"?, "step"?}``; or, with ``rewards``, a sequence of
    indices (list, numpy array, tensor) and their rewards (one per index, or one row per index).
    ``id_of`` turns an int index into the server's task id (a str key is taken as the id itself).
    """
    if rewards is not None:
        idx = _plain(batch)
        rws = _plain(rewards)
        if not isinstance(idx, list) or not isinstance(rws, list) or len(idx) != len(rws):
            raise ValueError(f"update(indices, rewards) needs two sequences of the same length, got {type(batch).__name__} "
                             f"and {type(rewards).__name__}")
        items: Iterable[Any] = list(zip(idx, rws))
    elif isinstance(batch, Mapping):
        items = batch.items()
    else:
        items = batch
    grouped: Dict[str, Dict[str, Any]] = {}
    for item in items:
        if isinstance(item, Mapping):
            if "taskId" not in item and "index" not in item:
                raise ValueError(f"an outcome dict needs 'index' or 'taskId', got keys {sorted(item)}")
            key = _key(item["taskId"] if "taskId" in item else item["index"])
            rs = _rewards(item["rewards"])
            extra = {k: _plain(item[k]) for k in ("tokenLengths", "step", "loss", "directives") if k in item}
        else:
            key, rs, extra = _key(item[0]), _rewards(item[1]), {}
        tid = key if isinstance(key, str) else id_of(key)
        o = grouped.setdefault(tid, {"taskId": tid, "rewards": []})
        o["rewards"].extend(rs)
        if "tokenLengths" in extra and "tokenLengths" in o:
            extra["tokenLengths"] = o["tokenLengths"] + list(extra["tokenLengths"])
        o.update(extra)
    if not grouped:
        raise ValueError("nothing to report: the batch holds no rows")
    return list(grouped.values())


class CurriculumSampler:
    """Yields dataset indices chosen by a Proxima curriculum and reports results back.

    data_source: the dataset (``len()`` is read; with ``group_of`` the groups of its rows).
    data_config: a dict or config object; read keys: ``batch_size`` / ``train_batch_size``, and under
        ``curriculum``: ``url``, ``token``, ``id``, ``config`` (the curriculum config), ``resume``.
    client/url/token/curriculum/config/batch_size/resume override data_config.
    curriculum: the curriculum id. There is no default: a shared default id silently mixed runs.
    group_of(index) -> group name of a row (data source, category) for group teachers (SEC, DUMP).
    id_of(index) -> the server's task id of a row (default ``str(index)``).
    register: create the curriculum and upload the rows if it does not exist. An existing curriculum
        with the same configuration is reused (its tasks are checked); another configuration raises
        ``Conflict`` naming the differences, unless ``resume=True`` (use what is there as it is).
    samples_per_epoch: what ``__len__`` answers (default ``len(data_source)``).
    max_ahead: batches that may be handed out before an ``update`` without a warning.
    """

    #: Set by a trainer that generates one fixed number of rollouts per prompt (the reason, in
    #: words): a config or a selection that varies rollouts per prompt is then refused.
    fixed_rollouts: Optional[str] = None

    def __init__(self, data_source: Any = None, data_config: Any = None, *, client: Optional[Client] = None,
                 url: Optional[str] = None, token: Optional[str] = None, curriculum: Optional[str] = None,
                 config: Optional[Mapping[str, Any]] = None, batch_size: Optional[int] = None,
                 group_of: Optional[Callable[[int], str]] = None, id_of: Callable[[int], str] = str,
                 register: bool = True, resume: Optional[bool] = None, samples_per_epoch: Optional[int] = None,
                 max_ahead: int = 1):
        cur = _get(data_config, "curriculum", None)
        self.client = client or Client(url or _get(cur, "url", "http://127.0.0.1:7300"), token=token or _get(cur, "token"))
        self.curriculum = curriculum or _get(cur, "id")
        if not self.curriculum:
            raise ValueError("name the curriculum: curriculum='run-1' (or data_config.curriculum.id); "
                             "runs that share an id share one curriculum")
        self.batch_size = int(batch_size or _get(data_config, "batch_size", 0) or _get(data_config, "train_batch_size", 0) or 0)
        if self.batch_size < 1:
            raise ValueError("batch_size must be >= 1 (pass batch_size= or data_config.train_batch_size)")
        self.data_source = data_source
        self.id_of = id_of
        n = len(data_source) if data_source is not None else None
        self.samples_per_epoch = samples_per_epoch if samples_per_epoch is not None else n
        if self.samples_per_epoch is None or self.samples_per_epoch < 1:
            raise ValueError("samples_per_epoch must be >= 1 (it is needed when no data_source is given)")
        self.max_ahead = max_ahead
        self._index: Optional[Dict[str, int]] = None
        self._run = uuid.uuid4().hex[:12]
        self._batches = 0           # next calls made
        self._updates = 0           # reports sent
        self._position = 0          # indices yielded in the current epoch
        self._buffer: List[int] = []  # indices fetched and not yet yielded
        self._pending_checkpoint: Optional[Tuple[int, int]] = None  # (step, updates it waits for)
        self._warned_ahead = False
        self.last_selection: Optional[Dict[str, Any]] = None
        self.last_report: Optional[Dict[str, Any]] = None
        if register:
            if resume is None:
                resume = bool(_get(cur, "resume", False))
            config = dict(config or _get(cur, "config", {}) or {})
            if self.fixed_rollouts:
                refuse_varying_rollouts(config, self.fixed_rollouts)
            self._register(config, group_of, resume)

    # ------------------------------------------------------------------ registration

    def _tasks(self, group_of: Optional[Callable[[int], str]]) -> Iterator[Dict[str, Any]]:
        for i in range(len(self.data_source)):
            t = {"id": self.id_of(i)}
            if group_of is not None:
                t["group"] = str(group_of(i))
            yield t

    def _register(self, config: Dict[str, Any], group_of: Optional[Callable[[int], str]], resume: bool) -> None:
        info = self.client.create(self.curriculum, config, resume=resume)
        if self.data_source is None:
            return
        n = len(self.data_source)
        if info["created"] or info.get("tasks", 0) == 0:
            self.client.add_tasks(self.curriculum, self._tasks(group_of))
        elif info.get("tasks") != n and not resume:
            raise Conflict(409, f"curriculum {self.curriculum!r} holds {info.get('tasks')} tasks, the dataset has {n} rows: "
                                f"another dataset uses this id (pass resume=True to use it anyway)", "tasks")

    # ------------------------------------------------------------------ Sampler protocol

    def __len__(self) -> int:
        return int(self.samples_per_epoch)

    def __iter__(self) -> Iterator[int]:
        # A generator: nothing runs (no request) until the first index is asked for. A new iterator
        # starts a new epoch when the last one ran to its end, else it continues that epoch (a resume).
        if self._position >= len(self):
            self._position = 0
            self._buffer = []
        while self._position < len(self):
            if not self._buffer:
                self._buffer = self.next_batch(min(self.batch_size, len(self) - self._position))
            self._position += 1
            yield self._buffer.pop(0)

    def next_batch(self, n: Optional[int] = None) -> List[int]:
        """Asks the server for the next batch; returns dataset indices (rollouts per task are in
        ``last_selection``). Retries reuse the request id, so a retried call does not skip a batch."""
        if self._batches - self._updates >= self.max_ahead and not self._warned_ahead:
            self._warned_ahead = True
            warnings.warn(f"curriculum {self.curriculum!r}: {self._batches - self._updates + 1} batches handed out without an "
                          f"update: the curriculum chooses them without the results of the earlier ones. A DataLoader with "
                          f"num_workers > 0 prefetches batches: use num_workers=0 (or max_ahead= if this is meant)",
                          RuntimeWarning, stacklevel=3)
        sel = self.client.next(self.curriculum, n or self.batch_size, request_id=f"{self._run}-next-{self._batches}")
        self._batches += 1
        self.last_selection = sel
        if self.fixed_rollouts and sel["tasks"]:
            refuse_varying_selection(self.curriculum, sel["tasks"], int(sel["tasks"][0].get("rollouts", 1)), self.fixed_rollouts)
        return [self._to_index(t["id"]) for t in sel["tasks"]]

    def _to_index(self, task_id: str) -> int:
        if self._index is None and self.data_source is not None:
            self._index = {self.id_of(i): i for i in range(len(self.data_source))}
        if self._index is not None and task_id in self._index:
            return self._index[task_id]
        try:
            return int(task_id)
        except ValueError:
            raise KeyError(f"task {task_id!r} of curriculum {self.curriculum!r} is not a row of this dataset") from None

    # ------------------------------------------------------------------ feedback

    def update(self, batch: Any, rewards: Any = None) -> Dict[str, Any]:
        """Reports one training step's results (see ``to_outcomes`` for the accepted shapes) and
        returns the server's answer. The batch id comes from this sampler's update counter, so a
        retry is applied once."""
        return self.report(self.outcomes(batch, rewards))

    def outcomes(self, batch: Any, rewards: Any = None) -> List[Dict[str, Any]]:
        """Turns ``batch`` (see ``update``) into the server's outcome dicts."""
        if rewards is None and hasattr(batch, "non_tensor_batch"):
            return to_outcomes(self._dataproto_rows(batch), id_of=self.id_of)
        return to_outcomes(batch, rewards, id_of=self.id_of)

    def report(self, outcomes: Sequence[Mapping[str, Any]]) -> Dict[str, Any]:
        res = self.client.report(self.curriculum, outcomes, batch_id=f"{self._run}-update-{self._updates}")
        self._updates += 1
        self.last_report = res
        if self._pending_checkpoint is not None and self._updates >= self._pending_checkpoint[1]:
            self.client.checkpoint(self.curriculum, self._pending_checkpoint[0])
            self._pending_checkpoint = None
        return res

    def _dataproto_rows(self, batch: Any) -> List[Tuple[Any, float]]:
        """(index, reward) per row of a verl-like DataProto: ``non_tensor_batch["index"]`` (or
        ``extra_info["index"]``), reward = sum of ``batch["token_level_scores"]`` over tokens."""
        ntb = batch.non_tensor_batch
        if "index" in ntb:
            indices = list(ntb["index"])
        elif "extra_info" in ntb:
            indices = [e["index"] for e in ntb["extra_info"]]
        else:
            raise ValueError("the batch carries no 'index' column: add extra_info.index to the dataset")
        scores = _plain(batch.batch["token_level_scores"].sum(-1))
        return list(zip(indices, scores))

    # ------------------------------------------------------------------ checkpoints

    def state_dict(self, step: Optional[int] = None) -> Dict[str, Any]:
        """Stores a server checkpoint named by ``step`` (default: the number of batches handed out)
        and returns what ``load_state_dict`` needs: the checkpoint and the position in the epoch.

        Called while a batch is out (a trainer that saves before it reports, as verl does), the
        checkpoint is written now and written again, under the same step, after that batch's
        ``update``: a resumed run then has the curriculum that saw it."""
        s = self._batches if step is None else int(step)
        self.client.checkpoint(self.curriculum, s)
        outstanding = self._batches - self._updates
        if outstanding > 0:
            self._pending_checkpoint = (s, self._batches)
        return {"curriculum": self.curriculum, "step": s, "batches": self._batches,
                "updates": self._updates + max(outstanding, 0), "position": self._position,
                "buffer": list(self._buffer), "epoch_length": len(self)}

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Restores the server's curriculum to the checkpoint in ``state`` (discarding what came after)
        and this sampler's position: the next indices are the ones the saved run would have had."""
        self.curriculum = state.get("curriculum", self.curriculum)
        self.client.restore(self.curriculum, int(state["step"]))
        self._batches = int(state.get("batches", 0))
        self._updates = int(state.get("updates", self._batches))
        self._position = int(state.get("position", 0))
        self._buffer = [int(i) for i in state.get("buffer", [])]
        self._pending_checkpoint = None
        self._warned_ahead = False
        self._run = uuid.uuid4().hex[:12]

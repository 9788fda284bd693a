"""A curriculum sampler for Python trainers, backed by a Proxima server.

It follows the iterator protocol of a PyTorch ``Sampler`` (``__iter__`` yields dataset indices,
``__len__``) without importing torch, and the shape of verl's curriculum sampler
(``AbstractCurriculumSampler``: ``__init__(data_source, data_config)``, ``__iter__``, ``__len__``,
``update(batch)``), plus ``state_dict()`` / ``load_state_dict()`` mapped to server checkpoints, so a
trainer resumed from its step-1200 checkpoint gets exactly the curriculum it had at step 1200.

Task ids on the server are the dataset indices as strings ("0", "1", ...), unless ``id_of`` says
otherwise.
"""
import uuid
from typing import Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

from .client import Client

__all__ = ["CurriculumSampler"]


def _get(config: Any, key: str, default: Any = None) -> Any:
    if config is None:
        return default
    if isinstance(config, Mapping):
        return config.get(key, default)
    return getattr(config, key, default)


class CurriculumSampler:
    """Yields dataset indices chosen by a Proxima curriculum and reports results back.

    data_source: the dataset (only ``len()`` is needed; with ``group_of``, groups are read from it).
    data_config: verl's ``config.data`` (or a dict); read keys: ``train_batch_size`` (batch size),
        and under ``curriculum``: ``url``, ``token``, ``id``, ``config`` (the curriculum config).
    client/url/token/curriculum/config/batch_size override data_config.
    group_of(index) -> group name for each task, when the dataset has categories or sources.
    register: create the curriculum and upload the dataset's tasks if the curriculum does not exist.
    samples_per_epoch: what ``__len__`` answers (default len(data_source)); ``__iter__`` yields that
        many indices per pass (whole batches; the last batch is cut).
    """

    def __init__(self, data_source: Any = None, data_config: Any = None, *, client: Optional[Client] = None,
                 url: Optional[str] = None, token: Optional[str] = None, curriculum: Optional[str] = None,
                 config: Optional[Mapping[str, Any]] = None, batch_size: Optional[int] = None,
                 group_of: Optional[Callable[[int], str]] = None, register: bool = True,
                 samples_per_epoch: Optional[int] = None, id_of: Callable[[int], str] = str):
        cur = _get(data_config, "curriculum", None)
        self.client = client or Client(url or _get(cur, "url", "http://127.0.0.1:7300"), token=token or _get(cur, "token"))
        self.curriculum = curriculum or _get(cur, "id", "default")
        self.batch_size = int(batch_size or _get(data_config, "train_batch_size", 0) or _get(data_config, "gen_batch_size", 0) or 0)
        if self.batch_size < 1:
            raise ValueError("batch_size must be >= 1 (pass batch_size= or data_config.train_batch_size)")
        self.data_source = data_source
        self.id_of = id_of
        n = len(data_source) if data_source is not None else None
        self.samples_per_epoch = samples_per_epoch if samples_per_epoch is not None else n
        if self.samples_per_epoch is None:
            raise ValueError("samples_per_epoch is needed when no data_source is given")
        self._index: Dict[str, int] = {}
        if n is not None:
            self._index = {id_of(i): i for i in range(n)}
        self._run = uuid.uuid4().hex[:12]
        self._batches = 0
        self._updates = 0
        self.last_selection: Optional[Dict[str, Any]] = None
        self.last_report: Optional[Dict[str, Any]] = None
        if register:
            self._register(config or _get(cur, "config", {}) or {}, group_of)

    def _register(self, config: Mapping[str, Any], group_of: Optional[Callable[[int], str]]) -> None:
        from .client import NotFound
        try:
            self.client.get(self.curriculum)
            return
        except NotFound:
            pass
        self.client.create(self.curriculum, config)
        if self.data_source is not None:
            def tasks() -> Iterator[Dict[str, Any]]:
                for i in range(len(self.data_source)):
                    t = {"id": self.id_of(i)}
                    if group_of is not None:
                        t["group"] = str(group_of(i))
                    yield t
            self.client.add_tasks(self.curriculum, tasks())

    # ------------------------------------------------------------------ Sampler protocol

    def __len__(self) -> int:
        return int(self.samples_per_epoch)

    def __iter__(self) -> Iterator[int]:
        left = len(self)
        while left > 0:
            for i in self.next_batch():
                if left == 0:
                    break
                yield i
                left -= 1

    def next_batch(self, n: Optional[int] = None) -> List[int]:
        """Asks the server for the next batch; returns dataset indices (rollouts per task are in
        ``last_selection``). Retries reuse the request id, so a retried call does not skip a batch."""
        sel = self.client.next(self.curriculum, n or self.batch_size, request_id=f"{self._run}-next-{self._batches}")
        self._batches += 1
        self.last_selection = sel
        return [self._to_index(t["id"]) for t in sel["tasks"]]

    def _to_index(self, task_id: str) -> int:
        if task_id in self._index:
            return self._index[task_id]
        return int(task_id)

    # ------------------------------------------------------------------ feedback

    def update(self, batch: Any) -> Dict[str, Any]:
        """Reports one training step's results. Accepts:
        - a mapping {index: [rewards of its rollouts]},
        - a sequence of (index, rewards) pairs or of dicts {"index"|"taskId", "rewards", ...},
        - a verl ``DataProto``: rows are grouped by ``non_tensor_batch["index"]`` (or
          ``extra_info["index"]``); a row's reward is the sum of ``batch["token_level_scores"]``.
        The batch id is derived from this sampler's update counter, so a retry is applied once."""
        outcomes = self.outcomes(batch)
        res = self.client.report(self.curriculum, outcomes, batch_id=f"{self._run}-update-{self._updates}")
        self._updates += 1
        self.last_report = res
        return res

    def outcomes(self, batch: Any) -> List[Dict[str, Any]]:
        """Turns ``batch`` (see ``update``) into the server's outcome dicts."""
        if hasattr(batch, "non_tensor_batch"):
            return self._from_dataproto(batch)
        grouped: Dict[str, Dict[str, Any]] = {}
        items: Iterable[Any] = batch.items() if isinstance(batch, Mapping) else batch
        for item in items:
            if isinstance(item, Mapping):
                key = item.get("taskId", item.get("index"))
                rewards = list(item["rewards"])
                extra = {k: item[k] for k in ("tokenLengths", "step") if k in item}
            else:
                key, rewards = item[0], item[1]
                rewards = list(rewards) if isinstance(rewards, (list, tuple)) else [rewards]
                extra = {}
            tid = key if isinstance(key, str) else self.id_of(int(key))
            o = grouped.setdefault(tid, {"taskId": tid, "rewards": []})
            o["rewards"].extend(float(r) for r in rewards)
            o.update(extra)
        return list(grouped.values())

    def _from_dataproto(self, batch: Any) -> List[Dict[str, Any]]:
        ntb = batch.non_tensor_batch
        if "index" in ntb:
            indices = list(ntb["index"])
        elif "extra_info" in ntb:
            indices = [e["index"] for e in ntb["extra_info"]]
        else:
            raise ValueError("the batch carries no 'index' column: add extra_info.index to the dataset")
        scores = batch.batch["token_level_scores"].sum(-1).tolist()
        pairs: List[Tuple[Any, List[float]]] = [(int(i), [float(s)]) for i, s in zip(indices, scores)]
        return self.outcomes(pairs)

    # ------------------------------------------------------------------ checkpoints

    def state_dict(self, step: Optional[int] = None) -> Dict[str, Any]:
        """Stores a server checkpoint named by ``step`` (default: the number of updates so far) and
        returns what ``load_state_dict`` needs."""
        s = self._updates if step is None else int(step)
        self.client.checkpoint(self.curriculum, s)
        return {"curriculum": self.curriculum, "step": s, "batches": self._batches, "updates": self._updates}

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Restores the server's curriculum to the checkpoint in ``state`` (discarding what came after)."""
        self.curriculum = state.get("curriculum", self.curriculum)
        self.client.restore(self.curriculum, int(state["step"]))
        self._batches = int(state.get("batches", 0))
        self._updates = int(state.get("updates", 0))
        self._run = uuid.uuid4().hex[:12]

"""verl: a curriculum sampler for ``verl.trainer.main_ppo``.

Checked against volcengine/verl: ``verl/trainer/main_ppo.py`` @ 006cebf8572873571fd28541de4f12124174b8ed,
``verl/trainer/ppo/ray_trainer.py`` @ 00401103a8c8900774aba04b910de5b0af930b99,
``verl/utils/dataset/rl_dataset.py`` @ aab094c84a54cc00a9c06384a8f458fd4a9445da, and torchdata's
``StatefulDataLoader`` (pytorch/data ``stateful_dataloader.py`` @ e2b35aa8c495430b8664ee316cb47bb37b2a56ee,
``sampler.py`` @ 8617da79db34857b248f20b2b05bce2479e2198c). What verl does, in order:

1. ``create_rl_sampler`` builds ``cls(data_source=dataset, data_config=config.data)``, asserts
   ``isinstance(sampler, AbstractSampler)`` and ``dataloader_num_workers == 0``;
2. ``StatefulDataLoader(batch_size=data.gen_batch_size or data.train_batch_size, drop_last=True, sampler=...)``;
3. each step: a batch of rows, generation, rewards (``batch.batch["token_level_scores"]``), the
   checkpoint if due (``train_dataloader.state_dict()`` -> this sampler's ``state_dict``), *then*
   ``sampler.update(batch=batch)`` only if the sampler is an ``AbstractCurriculumSampler``;
4. on resume, ``train_dataloader.load_state_dict`` -> this sampler's ``load_state_dict``.

Row identity: verl concatenates the parquet files (``datasets.concatenate_datasets``) and fills
``index`` from each file's own ``extra_info.index``, so two files both have an index 0. The
sampler names each row ``"{data_source}/{extra_info.index}"`` (unique across gsm8k + math mixes),
checks at start that no two rows share a name, and credits a batch's rows by the
``data_source`` and ``extra_info`` columns that stay in the batch. The group of a row is its
``data_source``.

Use::

    python -m verl.trainer.main_ppo ... data.dataloader_num_workers=0 \\
      data.sampler.class_path=pkg://proxima_client.verl data.sampler.class_name=ProximaSampler \\
      +data.curriculum.url=http://127.0.0.1:7300 +data.curriculum.id=run-1 \\
      '+data.curriculum.config={recipe: sec, seed: 7, rollouts: 8}'
"""
from collections import Counter
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from .sampler import CurriculumSampler, _get, _plain, to_outcomes

#: why verl cannot honour per-prompt rollout counts
_FIXED_N = "verl generates actor_rollout_ref.rollout.n responses for every prompt"

try:  # verl checks the type: subclass its classes when verl is installed
    from verl.experimental.dataset.sampler import AbstractCurriculumSampler as _VerlBase
except ImportError:  # verl absent: the same methods, without the base class
    _VerlBase = object

__all__ = ["ProximaSampler", "row_keys"]


def _column(dataframe: Any, name: str, n: int) -> List[Any]:
    try:  # a HF datasets.Dataset (verl's RLHFDataset.dataframe) or a pandas frame: one column read
        col = dataframe[name]
        return list(col) if len(col) == n else [dataframe[i][name] for i in range(n)]
    except (KeyError, TypeError, IndexError):
        return [dataframe[i].get(name) for i in range(n)]


def row_keys(dataset: Any) -> List[str]:
    """The task id of each row: ``"{data_source}/{extra_info.index}"``, read from ``dataset.dataframe``
    (verl's ``RLHFDataset``) or from ``dataset[i]``. Raises ValueError if two rows share an id."""
    n = len(dataset)
    frame = getattr(dataset, "dataframe", None)
    if frame is not None:
        sources = _column(frame, "data_source", n)
        extras = _column(frame, "extra_info", n)
    else:
        rows = [dataset[i] for i in range(n)]
        sources = [r.get("data_source") for r in rows]
        extras = [r.get("extra_info") for r in rows]
    keys = []
    for i, (src, extra) in enumerate(zip(sources, extras)):
        index = (extra or {}).get("index") if isinstance(extra, dict) else None
        if index is None:
            raise ValueError(f"row {i} has no extra_info.index: verl's preprocessing scripts write it; the curriculum "
                             f"names rows by data_source and extra_info.index")
        keys.append(f"{src}/{_plain(index)}")
    dup = [k for k, c in Counter(keys).items() if c > 1]
    if dup:
        raise ValueError(f"{len(dup)} rows share a data_source/extra_info.index, e.g. {dup[:3]}: rewards could not be "
                         f"credited to the right row. Give each file its own data_source, or unique extra_info.index")
    return keys


class ProximaSampler(CurriculumSampler, _VerlBase):
    """verl's curriculum sampler: ``data.sampler.class_name=ProximaSampler``.

    Reads ``data.gen_batch_size`` (else ``data.train_batch_size``: the dataloader's batch size) and
    ``data.curriculum.{url, token, id, config, resume}``. ``group_of`` / ``key_of`` override the
    group (default: the row's data_source) and the row names (default: ``row_keys``).
    """

    fixed_rollouts = _FIXED_N

    def __init__(self, data_source: Any, data_config: Any, *, group_of: Optional[Callable[[int], str]] = None,
                 keys: Optional[Sequence[str]] = None, **kwargs: Any):
        batch_size = int(_get(data_config, "gen_batch_size", 0) or _get(data_config, "train_batch_size", 0) or 0)
        if batch_size < 1:
            raise ValueError("data.train_batch_size (or data.gen_batch_size) must be >= 1")
        self._keys = list(keys) if keys is not None else row_keys(data_source)
        self._position_of = {k: i for i, k in enumerate(self._keys)}
        if group_of is None:
            group_of = lambda i: self._keys[i].rsplit("/", 1)[0]  # noqa: E731  the data_source
        # verl's dataloader drops the last incomplete batch: whole batches only, none selected in vain
        per_epoch = (len(data_source) // batch_size) * batch_size
        if per_epoch == 0:
            raise ValueError(f"the dataset has {len(data_source)} rows, fewer than one batch of {batch_size}")
        kwargs.setdefault("samples_per_epoch", per_epoch)
        CurriculumSampler.__init__(self, data_source, data_config, batch_size=batch_size, group_of=group_of,
                                   id_of=self._keys.__getitem__, **kwargs)

    def _to_index(self, task_id: str) -> int:
        try:
            return self._position_of[task_id]
        except KeyError:
            raise KeyError(f"task {task_id!r} of curriculum {self.curriculum!r} is not a row of this dataset") from None


    def update(self, batch: Any, rewards: Any = None, **_: Any) -> Dict[str, Any]:  # verl: update(batch=batch)
        return super().update(batch, rewards)

    def _dataproto_rows(self, batch: Any) -> List[Tuple[Any, float]]:
        ntb = batch.non_tensor_batch
        if "data_source" not in ntb or "extra_info" not in ntb:
            raise ValueError(f"the batch has no data_source / extra_info columns (it has {sorted(ntb)}): "
                             f"rows cannot be credited to their tasks")
        scores = _plain(batch.batch["token_level_scores"].sum(-1))
        rows = []
        for src, extra, score in zip(ntb["data_source"], ntb["extra_info"], scores):
            key = f"{src}/{_plain(extra['index'])}"
            if key not in self._position_of:
                raise KeyError(f"row {key!r} of the batch is not a row of the dataset this sampler was built on")
            rows.append((key, score))
        return rows

    def outcomes(self, batch: Any, rewards: Any = None) -> List[Dict[str, Any]]:
        if rewards is None and hasattr(batch, "non_tensor_batch"):
            return to_outcomes(self._dataproto_rows(batch))
        return super().outcomes(batch, rewards)

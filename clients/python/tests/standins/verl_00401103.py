"""verl's curriculum path, as a sampler meets it.

Written from volcengine/verl: verl/trainer/main_ppo.py @ 006cebf8572873571fd28541de4f12124174b8ed
(create_rl_sampler), verl/trainer/ppo/ray_trainer.py @ 00401103a8c8900774aba04b910de5b0af930b99
(_create_dataloader, fit, _save_checkpoint, _load_checkpoint), verl/utils/dataset/rl_dataset.py
@ aab094c84a54cc00a9c06384a8f458fd4a9445da (files concatenated, row "index" = the file's
extra_info.index), and verl/experimental/dataset/sampler.py (AbstractSampler, AbstractCurriculumSampler).
"""
import abc
import random
import sys
import types
import uuid

from .fakes import FakeTensor
from .torchdata_e2b35aa import StatefulDataLoader


class AbstractSampler(abc.ABC):
    """verl.experimental.dataset.sampler.AbstractSampler (a torch Sampler[int] upstream)."""

    @abc.abstractmethod
    def __init__(self, data_source, data_config):
        pass


class AbstractCurriculumSampler(AbstractSampler):
    @abc.abstractmethod
    def update(self, batch) -> None:
        pass


def install_sampler_module():
    """Makes `from verl.experimental.dataset.sampler import AbstractCurriculumSampler` work."""
    names = ["verl", "verl.experimental", "verl.experimental.dataset", "verl.experimental.dataset.sampler"]
    for n in names:
        sys.modules.setdefault(n, types.ModuleType(n))
    sys.modules["verl.experimental.dataset.sampler"].AbstractSampler = AbstractSampler
    sys.modules["verl.experimental.dataset.sampler"].AbstractCurriculumSampler = AbstractCurriculumSampler


def block_sampler_module():
    """`import verl` fails, even where verl is installed (the adapter's path without it)."""
    uninstall_sampler_module()
    sys.modules["verl"] = None


def uninstall_sampler_module():
    for n in ["verl.experimental.dataset.sampler", "verl.experimental.dataset", "verl.experimental", "verl"]:
        sys.modules.pop(n, None)


class Frame:
    """The part of a HF datasets.Dataset verl's dataset uses: len, a row, a column."""

    def __init__(self, rows):
        self.rows = rows

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, key):
        if isinstance(key, str):
            return [r[key] for r in self.rows]
        return dict(self.rows[key])


class RLHFDataset:
    """rl_dataset.RLHFDataset: the parquet files concatenated in order; a row dict carries the file's
    columns and "index" = extra_info.index (0 when absent)."""

    def __init__(self, files):
        self.dataframe = Frame([row for f in files for row in f])

    def __len__(self):
        return len(self.dataframe)

    def __getitem__(self, item):
        row = self.dataframe[item]
        row["index"] = row.get("extra_info", {}).get("index", 0)
        return row


def parquet_file(source, n):
    """Rows as verl's data preprocessing writes them: data_source, prompt, extra_info.index 0..n-1."""
    return [{"data_source": source, "prompt": f"{source} question {i}", "extra_info": {"index": i, "split": "train"}}
            for i in range(n)]


def collate_fn(rows):
    """rl_dataset.collate_fn: non-tensor columns become object arrays (lists here)."""
    return {k: [r[k] for r in rows] for k in rows[0]}


class DataProto:
    def __init__(self, batch, non_tensor_batch):
        self.batch = batch
        self.non_tensor_batch = non_tensor_batch

    @classmethod
    def from_single_dict(cls, d):
        return cls({}, {k: list(v) for k, v in d.items()})

    def __len__(self):
        return len(next(iter(self.non_tensor_batch.values())))

    def pop(self, non_tensor_batch_keys):
        out = DataProto({}, {k: self.non_tensor_batch.pop(k) for k in non_tensor_batch_keys})
        return out

    def repeat(self, repeat_times, interleave=True):
        assert interleave
        return DataProto({k: FakeTensor([r for r in v.rows for _ in range(repeat_times)]) for k, v in self.batch.items()},
                         {k: [x for x in v for _ in range(repeat_times)] for k, v in self.non_tensor_batch.items()})

    def reorder(self, order):
        self.batch = {k: FakeTensor([v.rows[i] for i in order]) for k, v in self.batch.items()}
        self.non_tensor_batch = {k: [v[i] for i in order] for k, v in self.non_tensor_batch.items()}


def create_rl_sampler(data_config, dataset, curriculum_class):
    """main_ppo.create_rl_sampler with data.sampler.class_path set."""
    sampler = curriculum_class(data_source=dataset, data_config=data_config)
    assert isinstance(sampler, AbstractSampler)
    assert data_config.get("dataloader_num_workers", 8) == 0, "If using curriculum, num_workers must be 0"
    return sampler


class RayPPOTrainer:
    """ray_trainer.RayPPOTrainer.fit, reduced to what touches the sampler and the data, in its order."""

    def __init__(self, config, dataset, sampler, learner, checkpoints, loader_cls=StatefulDataLoader):
        self.config = config
        data = config["data"]
        self.train_dataloader = loader_cls(dataset=dataset, batch_size=data.get("gen_batch_size", data["train_batch_size"]),
                                                   num_workers=data["dataloader_num_workers"], drop_last=True,
                                                   collate_fn=collate_fn, sampler=sampler)
        self.learner = learner
        self.checkpoints = checkpoints  # {global_step: data.pt contents}: the checkpoint directory
        self.trained = []  # per step: [(row key, rewards of its n rollouts)] in the batch's original order
        self.total_training_steps = len(self.train_dataloader) * config["trainer"]["total_epochs"]

    def _save_checkpoint(self):
        self.checkpoints[self.global_steps] = self.train_dataloader.state_dict()

    def _load_checkpoint(self, resume_step):
        if resume_step is None:
            return
        self.global_steps = resume_step
        self.train_dataloader.load_state_dict(self.checkpoints[resume_step])

    def fit(self, resume_step=None, stop_after=None):
        n = self.config["rollout_n"]
        self.global_steps = 0
        self._load_checkpoint(resume_step)
        self.global_steps += 1
        for epoch in range(self.config["trainer"]["total_epochs"]):
            for batch_dict in self.train_dataloader:
                batch = DataProto.from_single_dict(batch_dict)
                batch.non_tensor_batch["uid"] = [str(uuid.uuid4()) for _ in range(len(batch))]
                pop = ["index"] if "index" in batch.non_tensor_batch else []
                gen_batch = batch.pop(non_tensor_batch_keys=pop + ["prompt"])
                gen_batch = gen_batch.repeat(n, interleave=True)
                is_last_step = self.global_steps >= self.total_training_steps
                batch = batch.repeat(n, interleave=True)
                keys = [f"{s}/{e['index']}" for s, e in zip(batch.non_tensor_batch["data_source"], batch.non_tensor_batch["extra_info"])]
                # rewards: one score on the last response token of each row (the reward manager's habit)
                scores = []
                for r, key in enumerate(keys):
                    k = r % n
                    if k == 0:
                        group = self.learner.rewards(key, self.global_steps, n)
                    scores.append([0.0, 0.0, group[k]])
                batch.batch["token_level_scores"] = FakeTensor(scores)
                # _balance_batch: reorders rows across dp ranks
                order = list(range(len(keys)))
                random.Random(self.global_steps).shuffle(order)
                batch.reorder(order)
                self.trained.append([(keys[r], [s[-1] for s in scores[r:r + n]]) for r in range(0, len(keys), n)])
                save_freq = self.config["trainer"]["save_freq"]
                if save_freq > 0 and (is_last_step or self.global_steps % save_freq == 0):
                    self._save_checkpoint()
                if isinstance(self.train_dataloader.sampler, AbstractCurriculumSampler):
                    self.train_dataloader.sampler.update(batch=batch)
                if is_last_step:
                    return
                if stop_after is not None and self.global_steps >= stop_after:
                    return  # the process dies here
                self.global_steps += 1

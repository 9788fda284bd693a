"""TRL: a curriculum for ``GRPOTrainer``.

Checked against huggingface/trl ``trl/trainer/grpo_trainer.py`` @ d2b69d769dab6f77acbfd33252bcd7d22765571b
and huggingface/transformers ``src/transformers/trainer.py`` @ 2cda12cbf6e476183e68ec476551fa7e3717394a.
What GRPOTrainer does, and what the mixin does about it:

- ``_get_train_sampler`` returns a ``RepeatSampler``: a block of ``generation_batch_size // num_generations``
  prompts, each repeated ``num_generations`` times, the block repeated ``num_iterations *
  steps_per_generation`` times. Every process iterates the same sampler and accelerate hands each
  its own slice of each generation batch. The mixin's sampler yields the same shape, its blocks
  chosen by the curriculum: block k is ``next`` with request id ``"{run}-block-{k}"``, so every
  process gets the very same block (the server answers a repeated request id with the same batch).
- ``_calculate_rewards`` returns the rewards of *every* process (gathered, block order). The mixin
  reports them once, from the main process: block k's prompt j gets the weighted sum of the reward
  functions (as ``_generate_and_score_completions`` computes it) of completions ``j*G .. j*G+G-1``.
  In evaluation (``model.training`` is False) nothing is reported.
- Resume (``train(resume_from_checkpoint=...)``): the trainer skips the batches already trained
  with accelerate's ``skip_first_batches``, which draws them from the sampler. The mixin restores the
  curriculum to the checkpoint of that step (written by ``on_save``) and yields placeholders
  (index 0, never generated from) for the skipped positions, so no selection is spent on them.

The run id and the number of the last reported block are saved next to the trainer's checkpoint
(``proxima.json``) and broadcast from the main process, so a resumed run asks for the blocks it
asked for before the checkpoint by the same ids.
"""
import json
import os
import uuid
from typing import Any, Dict, Iterator, List, Mapping, Optional

from .sampler import refuse_varying_rollouts, refuse_varying_selection
from .client import Client

__all__ = ["ProximaGRPOMixin", "TRLCurriculum", "STATE_FILE"]

STATE_FILE = "proxima.json"


class TRLCurriculum:
    """What the mixin needs to know: the client, the curriculum id and, to create it, its config and
    the group of each dataset row (``group_of(index)``). ``resume=True`` uses an existing
    curriculum whatever its configuration."""

    def __init__(self, client: Client, curriculum: str, config: Optional[Mapping[str, Any]] = None,
                 group_of: Any = None, resume: bool = False):
        self.client = client
        self.curriculum = curriculum
        self.config = dict(config or {})
        self.group_of = group_of
        self.resume = resume


def _broadcast(trainer: Any, value: Any) -> Any:
    """The main process's value on every process (accelerate's broadcast_object_list)."""
    if getattr(trainer.accelerator, "num_processes", 1) <= 1:
        return value
    from accelerate.utils import broadcast_object_list
    return broadcast_object_list([value], from_process=0)[0]


class _BlockSampler:
    """RepeatSampler's order with blocks chosen by the curriculum (see the module doc)."""

    def __init__(self, trainer: Any, dataset: Any):
        self.trainer = trainer
        self.num_samples = len(dataset)
        g = trainer.num_generations
        self.unique = trainer.args.generation_batch_size // g
        self.block_len = self.unique * g * trainer.num_iterations * trainer.args.steps_per_generation
        self._epoch_start = None

    def __len__(self) -> int:
        return (self.num_samples // self.unique) * self.block_len

    def __iter__(self) -> Iterator[int]:
        t = self.trainer
        if self._epoch_start is None:  # first epoch of this process: where the trainer resumes
            self._epoch_start = t._proxima_first_epoch(len(self)) * len(self)
        start = self._epoch_start
        self._epoch_start += len(self)
        skip_to = t._proxima_skip_to
        g = t.num_generations
        per_block = self.block_len // (self.unique * g)  # RepeatSampler's repeat_count
        for pos in range(start, start + len(self)):
            if pos < skip_to:
                yield 0  # a batch the trainer skips on resume: not generated from, no selection spent
                continue
            k, within = divmod(pos, self.block_len)
            block = t._proxima_block(k)
            yield block[(within % (self.block_len // per_block)) // g]


class ProximaGRPOMixin:
    """Put it before ``GRPOTrainer``: ``class Trainer(ProximaGRPOMixin, GRPOTrainer)``, and pass
    ``curriculum=TRLCurriculum(...)`` to the constructor."""

    def __init__(self, *args: Any, curriculum: TRLCurriculum, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.proxima = curriculum
        self._proxima_run: Optional[str] = None
        self._proxima_reported = -1       # the last block reported
        self._proxima_resume_step = 0     # global step the run resumed from
        self._proxima_skip_to = 0         # sampler positions the trainer skips
        self._proxima_blocks: Dict[int, List[int]] = {}
        g = self.num_generations
        rollouts = curriculum.config.setdefault("rollouts", g)
        if rollouts != g:
            raise ValueError(f"the curriculum config asks for {rollouts} rollouts, GRPOTrainer generates num_generations={g}")
        refuse_varying_rollouts(curriculum.config, f"GRPOTrainer generates num_generations={g} for every prompt")
        if self.accelerator.is_main_process:
            info = curriculum.client.create(curriculum.curriculum, curriculum.config, resume=curriculum.resume)
            if info["created"] or info.get("tasks", 0) == 0:
                group_of = curriculum.group_of

                def tasks():
                    for i in range(len(self.train_dataset)):
                        yield {"id": str(i), **({"group": str(group_of(i))} if group_of else {})}
                curriculum.client.add_tasks(curriculum.curriculum, tasks())
        self.add_callback(_SaveCallback(self))

    # ------------------------------------------------------------------ GRPOTrainer's extension points

    def train(self, resume_from_checkpoint: Any = None, *args: Any, **kwargs: Any) -> Any:
        path = resume_from_checkpoint
        if isinstance(path, bool) and path:
            from transformers.trainer_utils import get_last_checkpoint
            path = get_last_checkpoint(self.args.output_dir)
        state = None
        if self.accelerator.is_main_process:
            if path:
                with open(os.path.join(path, STATE_FILE)) as f:
                    state = json.load(f)
                self.proxima.client.restore(self.proxima.curriculum, int(state["step"]))
            else:
                state = {"run": uuid.uuid4().hex[:12], "step": 0, "reported": -1}
        state = _broadcast(self, state)  # also a barrier: nobody asks for a block before the restore
        self._proxima_run = state["run"]
        self._proxima_reported = int(state["reported"])
        self._proxima_resume_step = int(state["step"])
        micro = self._proxima_resume_step * self.args.gradient_accumulation_steps
        self._proxima_skip_to = micro * self._proxima_batch_positions()
        self._proxima_blocks = {}
        return super().train(path or None, *args, **kwargs)

    def _get_train_sampler(self, dataset: Any = None) -> Any:
        return _BlockSampler(self, dataset if dataset is not None else self.train_dataset)

    def _calculate_rewards(self, inputs: Any, prompts: Any, completions: Any, completion_ids_list: Any) -> Any:
        rewards_per_func = super()._calculate_rewards(inputs, prompts, completions, completion_ids_list)
        if self.model.training:
            self._proxima_report(rewards_per_func)
        return rewards_per_func

    # ------------------------------------------------------------------ the curriculum's side

    def _proxima_batch_positions(self) -> int:
        """Sampler positions one training micro-step consumes across all processes."""
        return self.args.per_device_train_batch_size * self.args.steps_per_generation * self.accelerator.num_processes

    def _proxima_first_epoch(self, epoch_len: int) -> int:
        """transformers' epochs_trained: global_step // updates per epoch."""
        batches = epoch_len // self._proxima_batch_positions()
        updates_per_epoch = max(batches // self.args.gradient_accumulation_steps, 1)
        return self._proxima_resume_step // updates_per_epoch

    def _proxima_block(self, k: int) -> List[int]:
        b = self._proxima_blocks.get(k)
        if b is None:
            unique = self.args.generation_batch_size // self.num_generations
            sel = self.proxima.client.next(self.proxima.curriculum, unique, request_id=f"{self._proxima_run}-block-{k}")
            refuse_varying_selection(self.proxima.curriculum, sel["tasks"], self.num_generations,
                                     f"GRPOTrainer generates num_generations={self.num_generations} for every prompt")
            b = [int(t["id"]) for t in sel["tasks"]]
            self._proxima_blocks = {j: v for j, v in self._proxima_blocks.items() if j >= k - 1}
            self._proxima_blocks[k] = b
        return b

    def _proxima_report(self, rewards_per_func: Any) -> None:
        # The generation that called us is micro-step m of the run: block m // generate_every.
        generate_every = self.args.steps_per_generation * self.num_iterations
        m = self._proxima_resume_step * self.args.gradient_accumulation_steps + self._step
        k = m // generate_every
        if k <= self._proxima_reported:
            return  # regenerated after a resume: reported before the checkpoint
        self._proxima_reported = k
        if not self.accelerator.is_main_process:
            return
        weights = self.reward_weights.to(rewards_per_func.device).unsqueeze(0)
        totals = (rewards_per_func * weights).nansum(dim=1).tolist()
        g = self.num_generations
        block = self._proxima_block(k)
        if len(totals) != len(block) * g:
            raise RuntimeError(f"{len(totals)} gathered rewards for a block of {len(block)} prompts x {g} generations")
        outcomes = [{"taskId": str(i), "rewards": [float(r) for r in totals[j * g:(j + 1) * g]], "step": int(self.state.global_step)}
                    for j, i in enumerate(block)]
        self.proxima.client.report(self.proxima.curriculum, _merge(outcomes), batch_id=f"{self._proxima_run}-report-{k}")

    def _proxima_on_save(self, args: Any, state: Any) -> None:
        if not self.accelerator.is_main_process:
            return
        step = int(state.global_step)
        self.proxima.client.checkpoint(self.proxima.curriculum, step)
        folder = os.path.join(args.output_dir, f"checkpoint-{step}")
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, STATE_FILE), "w") as f:
            json.dump({"curriculum": self.proxima.curriculum, "run": self._proxima_run, "step": step,
                       "reported": self._proxima_reported}, f)


def _merge(outcomes: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """One outcome per task (a block may hold a prompt twice when the pool is small)."""
    by: Dict[str, Dict[str, Any]] = {}
    for o in outcomes:
        if o["taskId"] in by:
            by[o["taskId"]]["rewards"].extend(o["rewards"])
        else:
            by[o["taskId"]] = o
    return list(by.values())


try:
    from transformers import TrainerCallback as _CallbackBase
except ImportError:
    _CallbackBase = object


class _SaveCallback(_CallbackBase):
    """transformers calls on_save after it wrote checkpoint-{global_step}: the curriculum's checkpoint goes with it."""

    def __init__(self, trainer: Any):
        self.trainer = trainer

    def on_save(self, args: Any, state: Any, control: Any, **kwargs: Any) -> Any:
        self.trainer._proxima_on_save(args, state)
        return control

"""OpenRLHF: a curriculum for the PPO/GRPO prompt loader.

Checked against OpenRLHF/OpenRLHF ``openrlhf/trainer/ppo_utils/samples_generator.py``
@ db825a2483bfaf4257bf75f808018403760c1cb4: the single controller draws prompts from
``prompts_dataloader`` (a torchdata ``StatefulDataLoader`` whose batches are
``(datasources, prompts, labels, images)``), ``vllm_generate_batch_size`` (else
``rollout_batch_size``) prompts per generation; each prompt comes back as
``n_samples_per_prompt`` ``Experience`` objects carrying ``prompts=[prompt]``, ``labels=[label]`` and
``rewards`` / ``scores`` tensors of one value; ``generate_samples()`` returns the training chunk;
checkpoints store ``prompts_dataloader.state_dict()`` as ``data_loader_state_dict``.

The pieces:

- ``ProximaPromptSampler(prompts_dataset, ...)``: the sampler of that dataloader (the strategy's
  ``setup_dataloader(..., sampler=...)`` takes one); stateful, so the dataloader's state_dict /
  load_state_dict carry the curriculum's checkpoint and the position in the epoch;
- ``report_experiences(experiences)``: credits each experience to its prompt's row by (prompt,
  label) and reports one outcome per prompt;
- ``wrap_samples_generator(generator, sampler)``: makes ``generator.generate_samples`` report what
  it returns, so the trainer's loop is unchanged.

The prompt loader lives in the controller process only, so several GPUs need nothing more.
OpenRLHF's ``dynamic_filtering`` drops prompts before they are returned (they are never reported,
and a replacement pulls a whole dataloader batch to use one prompt): use a Proxima filter recipe
(``dapo``, ``odf``) instead.
"""
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from .sampler import CurriculumSampler, _plain

#: why OpenRLHF cannot honour per-prompt rollout counts
_FIXED_N = "OpenRLHF generates n_samples_per_prompt samples for every prompt"

__all__ = ["ProximaPromptSampler", "wrap_samples_generator"]


def _row(dataset: Any, i: int) -> Tuple[Any, Any, Any]:
    """(datasource, prompt, label) of row i (PromptDataset.__getitem__)."""
    row = dataset[i]
    if isinstance(row, (tuple, list)) and len(row) >= 3:
        return row[0], row[1], row[2]
    return None, row, None  # an older PromptDataset: the prompt alone


class ProximaPromptSampler(CurriculumSampler):
    """Indices of the prompt dataset chosen by a curriculum (see the module doc). ``batch_size`` is
    the dataloader's batch size (``vllm_generate_batch_size`` or ``rollout_batch_size``). Rows are
    grouped by their datasource unless ``group_of`` says otherwise."""

    fixed_rollouts = _FIXED_N

    def __init__(self, prompts_dataset: Any, *, batch_size: int, group_of: Optional[Callable[[int], str]] = None, **kwargs: Any):
        rows = [_row(prompts_dataset, i) for i in range(len(prompts_dataset))]
        self._row_of: Dict[Tuple[str, str], int] = {}
        for i, (_, prompt, label) in enumerate(rows):
            self._row_of.setdefault((str(prompt), str(label)), i)  # the same prompt and label twice: one task
        if group_of is None and any(src is not None for src, _, _ in rows):
            group_of = lambda i: str(rows[i][0])  # noqa: E731
        super().__init__(prompts_dataset, batch_size=batch_size, group_of=group_of, **kwargs)


    def report_experiences(self, experiences: Sequence[Any]) -> Optional[Dict[str, Any]]:
        """Reports the rewards of ``experiences`` (one per sample), one outcome per prompt."""
        rows: List[Tuple[int, float]] = []
        for e in experiences:
            prompt, label = e.prompts[0], (e.labels[0] if getattr(e, "labels", None) else None)
            key = (str(prompt), str(label))
            if key not in self._row_of:
                raise KeyError(f"an experience's prompt is not a row of the prompt dataset: {str(prompt)[:80]!r}")
            reward = e.rewards if getattr(e, "rewards", None) is not None else getattr(e, "scores", None)
            if reward is None:
                reward = e.info["reward"]
            value = _plain(reward)
            rows.append((self._row_of[key], float(value[0] if isinstance(value, list) else value)))
        if not rows:
            return None
        return self.update(rows)


def wrap_samples_generator(generator: Any, sampler: ProximaPromptSampler) -> Any:
    """Makes ``generator.generate_samples(...)`` report the experiences it returns (first element)."""
    inner = generator.generate_samples

    def generate_samples(*args: Any, **kwargs: Any) -> Any:
        out = inner(*args, **kwargs)
        sampler.report_experiences(out[0])
        return out

    generator.generate_samples = generate_samples
    return generator

"""OpenRLHF's prompt path, as a sampler meets it.

Written from OpenRLHF/OpenRLHF openrlhf/trainer/ppo_utils/samples_generator.py @ db825a2483bfaf4257bf75f808018403760c1cb4
(_collect_prompt_batch, SamplesGenerator.generate_samples / _generate_vllm: prompts pulled from
iter(prompts_dataloader), n_samples_per_prompt responses per prompt, Experience(prompts=[...],
labels=[...], rewards=tensor([r])), a buffer served in chunks of rollout_batch_size *
n_samples_per_prompt) and the trainer's checkpoint (client_states["data_loader_state_dict"] =
prompts_dataloader.state_dict()). vLLM and Ray are replaced by a function of (prompt, label).
"""
from .fakes import FakeTensor
from .torchdata_e2b35aa import StatefulDataLoader


class PromptDataset:
    """Rows (datasource, prompt, label); the dataloader's collate gives (datasources, prompts, labels, images)."""

    def __init__(self, rows):
        self.rows = rows

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        return self.rows[i]

    def collate_fn(self, items):
        return [r[0] for r in items], [r[1] for r in items], [r[2] for r in items], [None for _ in items]


class Experience:
    def __init__(self, prompts, labels, rewards):
        self.prompts, self.labels, self.rewards, self.scores, self.info = prompts, labels, rewards, None, {}


def _collect_prompt_batch(dataloader_iter, num_prompts):
    prompts, labels, exhausted = [], [], False
    while len(prompts) < num_prompts:
        try:
            _, batch_prompts, batch_labels, _images = next(dataloader_iter)
            remaining = num_prompts - len(prompts)
            prompts.extend(batch_prompts[:remaining])
            labels.extend(batch_labels[:remaining])
        except StopIteration:
            exhausted = True
            break
    return prompts, labels, exhausted


class Args:
    def __init__(self, rollout_batch_size=4, n_samples_per_prompt=3, vllm_generate_batch_size=None):
        self.rollout_batch_size, self.n_samples_per_prompt = rollout_batch_size, n_samples_per_prompt
        self.vllm_generate_batch_size = vllm_generate_batch_size
        self.dynamic_filtering = False


class SamplesGenerator:
    def __init__(self, args, prompts_dataloader, reward_of):
        self.args, self.prompts_dataloader, self.reward_of = args, prompts_dataloader, reward_of
        self._dataloader_iter = None
        self.calls = 0

    def generate_samples(self):
        if self._dataloader_iter is None:
            self._dataloader_iter = iter(self.prompts_dataloader)
            self._sample_buffer = []
        chunk_size = self.args.rollout_batch_size * self.args.n_samples_per_prompt
        prompts_consumed = 0
        if len(self._sample_buffer) < chunk_size and self._dataloader_iter is not None:
            gen_batch_size = self.args.vllm_generate_batch_size or self.args.rollout_batch_size
            prompts, labels, exhausted = _collect_prompt_batch(self._dataloader_iter, gen_batch_size)
            self.calls += 1
            for p, lab in zip(prompts, labels):
                for k in range(self.args.n_samples_per_prompt):
                    self._sample_buffer.append(Experience([p], [lab], FakeTensor([self.reward_of(p, lab, self.calls, k)])))
            prompts_consumed += len(prompts)
            if exhausted:
                self._dataloader_iter = None
        rollout_samples = self._sample_buffer[:chunk_size]
        self._sample_buffer = self._sample_buffer[chunk_size:]
        exhausted = self._dataloader_iter is None and not self._sample_buffer
        return rollout_samples, None, prompts_consumed, exhausted


def prompts_dataloader(dataset, args, sampler):
    """strategy.setup_dataloader(dataset, vllm_generate_batch_size or rollout_batch_size, True, True, sampler=sampler)."""
    return StatefulDataLoader(dataset, batch_size=args.vllm_generate_batch_size or args.rollout_batch_size,
                              sampler=sampler, drop_last=True, collate_fn=dataset.collate_fn)

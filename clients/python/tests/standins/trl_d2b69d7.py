"""TRL's GRPOTrainer on top of transformers' Trainer and accelerate, as a sampler and a reward hook meet them.

Written from huggingface/trl trl/trainer/grpo_trainer.py @ d2b69d769dab6f77acbfd33252bcd7d22765571b
(get_train_dataloader, _get_train_sampler/RepeatSampler, _prepare_inputs, _calculate_rewards,
_generate_and_score_completions), huggingface/transformers src/transformers/trainer.py
@ 2cda12cbf6e476183e68ec476551fa7e3717394a (_inner_training_loop: epochs_trained,
steps_trained_in_current_epoch, skip_first_batches, get_batch_samples, _save_checkpoint then
on_save) and accelerate's data_loader (BatchSamplerShard: process i takes every N-th batch;
SkipBatchSampler draws and drops the first batches). Several processes are threads sharing a World.
"""
import json
import math
import os
import sys
import threading
import types


class World:
    """N processes: gather and broadcast meet at a barrier, in process order."""

    def __init__(self, n):
        self.n = n
        self.barrier = threading.Barrier(n)
        self.slots = [None] * n
        self.local = threading.local()

    def exchange(self, value):
        r = self.local.rank
        self.barrier.wait()
        self.slots[r] = value
        self.barrier.wait()
        out = list(self.slots)
        self.barrier.wait()
        return out


def install_accelerate(world):
    """`from accelerate.utils import broadcast_object_list` for the threads of `world`."""
    utils = types.ModuleType("accelerate.utils")

    def broadcast_object_list(objs, from_process=0):
        return list(world.exchange(list(objs))[from_process])
    utils.broadcast_object_list = broadcast_object_list
    sys.modules["accelerate"] = types.ModuleType("accelerate")
    sys.modules["accelerate.utils"] = utils


def uninstall_accelerate():
    sys.modules.pop("accelerate.utils", None)
    sys.modules.pop("accelerate", None)


class T:
    """A float tensor of rank 1 or 2, with the operations GRPOTrainer's reward code uses."""

    def __init__(self, rows, device="cpu"):
        self.rows, self.device = rows, device

    def to(self, device):
        return T(self.rows, device)

    def unsqueeze(self, dim):
        assert dim == 0
        return T([list(self.rows)], self.device)

    def __mul__(self, other):  # [B, F] * [1, F]
        w = other.rows[0]
        return T([[x * y for x, y in zip(r, w)] for r in self.rows], self.device)

    def nansum(self, dim):
        assert dim == 1
        return T([sum(x for x in r if not math.isnan(x)) for r in self.rows], self.device)

    def tolist(self):
        return [list(r) if isinstance(r, list) else r for r in self.rows]


class Accelerator:
    def __init__(self, world, rank):
        self.world, self.process_index, self.num_processes = world, rank, world.n
        self.is_main_process = rank == 0
        self.device = f"cuda:{rank}"

    def gather(self, t):
        return T([r for part in self.world.exchange(t.rows) for r in part], t.device)


class Args:
    def __init__(self, output_dir, per_device_train_batch_size=2, steps_per_generation=2, gradient_accumulation_steps=2,
                 num_iterations=1, num_generations=4, max_steps=12, save_steps=4, num_processes=1):
        self.__dict__.update(locals())
        del self.__dict__["self"]
        self.generation_batch_size = per_device_train_batch_size * num_processes * steps_per_generation


class State:
    def __init__(self, global_step=0):
        self.global_step = global_step


class Model:
    training = True


class GRPOTrainer:
    """The stand-in: rows are {"prompt": "q{i}"}; the reward of a completion comes from `rewards_of`."""

    def __init__(self, args, train_dataset, rewards_of, world, rank, eval_dataset=None):
        self.args, self.train_dataset, self.eval_dataset = args, train_dataset, eval_dataset
        self.rewards_of = rewards_of
        self.num_generations, self.num_iterations = args.num_generations, args.num_iterations
        self.accelerator = Accelerator(world, rank)
        self.world = world
        self.reward_weights = T([1.0, 0.5])  # two reward functions, weights 1 and 0.5
        self.model = Model()
        self.state = State()
        self.callbacks = []
        self._step = 0
        self._buffered_inputs = None
        self.generated = []  # per generation (train): the gathered prompt indices, on every process

    def add_callback(self, cb):
        self.callbacks.append(cb)

    # -- GRPOTrainer
    def _get_train_sampler(self, dataset=None):
        raise NotImplementedError("the stand-in has no RepeatSampler: the adapter must provide the sampler")

    def get_train_dataloader(self):
        return _ShardedLoader(self.train_dataset, self._get_train_sampler(), self.args.per_device_train_batch_size * self.args.steps_per_generation,
                              self.accelerator.num_processes, self.accelerator.process_index)

    def _prepare_inputs(self, generation_batch):
        if self.model.training:
            generate_every = self.args.steps_per_generation * self.num_iterations
            if self._step % generate_every == 0 or self._buffered_inputs is None:
                self._generate_and_score_completions(generation_batch)
                self._buffered_inputs = [generation_batch]
            self._step += 1
        else:
            self._generate_and_score_completions(generation_batch)

    def _generate_and_score_completions(self, inputs):
        prompts = [x["prompt"] for x in inputs]
        completions = [f"answer to {p}" for p in prompts]
        rewards_per_func = self._calculate_rewards(inputs, prompts, completions, [[1, 2]] * len(prompts))
        rewards = (rewards_per_func * self.reward_weights.to(self.accelerator.device).unsqueeze(0)).nansum(dim=1)
        if self.model.training:  # the test's record: gathered prompts and their weighted rewards
            everyone = [int(q[1:]) for part in self.world.exchange(prompts) for q in part]
            self.generated.append(list(zip(everyone, rewards.tolist())))
        return rewards_per_func

    def _calculate_rewards(self, inputs, prompts, completions, completion_ids_list):
        local = T([list(self.rewards_of(int(p[1:]), self.state.global_step, k)) for k, p in enumerate(prompts)], self.accelerator.device)
        return self.accelerator.gather(local)

    # -- transformers Trainer
    def training_step(self, inputs):
        self._prepare_inputs(inputs)

    def evaluate(self):
        self.model.training = False
        for start in range(0, len(self.eval_dataset), self.num_generations):
            self._prepare_inputs([self.eval_dataset[i] for i in range(start, start + self.num_generations)])
        self.model.training = True

    def train(self, resume_from_checkpoint=None, stop_after=None):
        args = self.args
        loader = self.get_train_dataloader()
        updates_per_epoch = max(len(loader) // args.gradient_accumulation_steps, 1)
        num_train_epochs = math.ceil(args.max_steps / updates_per_epoch)
        epochs_trained = steps_trained_in_current_epoch = 0
        if resume_from_checkpoint is not None:
            with open(os.path.join(resume_from_checkpoint, "trainer_state.json")) as f:
                self.state = State(json.load(f)["global_step"])
            epochs_trained = self.state.global_step // updates_per_epoch
            steps_trained_in_current_epoch = (self.state.global_step % updates_per_epoch) * args.gradient_accumulation_steps
        for epoch in range(epochs_trained, num_train_epochs):
            epoch_loader = loader
            if steps_trained_in_current_epoch > 0:
                epoch_loader = loader.skip_first_batches(steps_trained_in_current_epoch)
                steps_trained_in_current_epoch = 0
            it = iter(epoch_loader)
            while True:
                batches = []
                for _ in range(args.gradient_accumulation_steps):  # get_batch_samples
                    try:
                        batches.append(next(it))
                    except StopIteration:
                        break
                if not batches:
                    break
                for inputs in batches:
                    self.training_step(inputs)
                self.state.global_step += 1
                if self.state.global_step % args.save_steps == 0:
                    self._save_checkpoint()
                    for cb in self.callbacks:
                        cb.on_save(args, self.state, None)
                if self.state.global_step >= args.max_steps or (stop_after and self.state.global_step >= stop_after):
                    return

    def _save_checkpoint(self):
        folder = os.path.join(self.args.output_dir, f"checkpoint-{self.state.global_step}")
        self.world.exchange(None)  # everyone reached the save
        if self.accelerator.is_main_process:
            os.makedirs(folder, exist_ok=True)
            with open(os.path.join(folder, "trainer_state.json"), "w") as f:
                json.dump({"global_step": self.state.global_step}, f)


class _ShardedLoader:
    """DataLoader(batch_size) prepared by accelerate: every process iterates the whole sampler in
    batches and keeps batch numbers i, i+N, i+2N...; skip_first_batches drops its first batches."""

    def __init__(self, dataset, sampler, batch_size, n, rank, skip=0):
        self.dataset, self.sampler, self.batch_size, self.n, self.rank, self.skip = dataset, sampler, batch_size, n, rank, skip

    def __len__(self):
        return len(self.sampler) // self.batch_size // self.n

    def skip_first_batches(self, k):
        return _ShardedLoader(self.dataset, self.sampler, self.batch_size, self.n, self.rank, k)

    def __iter__(self):
        batch, number, mine = [], 0, 0
        for i in self.sampler:
            batch.append(i)
            if len(batch) == self.batch_size:
                if number % self.n == self.rank:
                    if mine >= self.skip:
                        yield [self.dataset[j] for j in batch]
                    mine += 1
                number += 1
                batch = []

"""proxima_client.openrlhf against the OpenRLHF prompt-path stand-in (standins/openrlhf_db825a2.py)."""
import itertools

from proxima_client import Client
from proxima_client.openrlhf import ProximaPromptSampler, wrap_samples_generator
from standins import openrlhf_db825a2 as orl

_ids = itertools.count()
ROWS = [("gsm8k" if i % 2 else "math", f"question {i}", f"answer {i % 7}") for i in range(24)]


def reward_of(prompt, label, call, k):
    i = int(prompt.split()[1])
    return float((i + k + call) % 3 == 0)


def build(server, cid, args, **kw):
    ds = orl.PromptDataset(ROWS)
    s = ProximaPromptSampler(ds, url=server.url, curriculum=cid, batch_size=args.vllm_generate_batch_size or args.rollout_batch_size,
                             config={"recipe": "sec", "seed": 2, "rollouts": args.n_samples_per_prompt}, **kw)
    loader = orl.prompts_dataloader(ds, args, s)
    return s, loader, wrap_samples_generator(orl.SamplesGenerator(args, loader, reward_of), s)


def steps(gen, n):
    out = []
    for _ in range(n):
        samples, _, _, _ = gen.generate_samples()
        out.append([(e.prompts[0], float(e.rewards.item())) for e in samples])
    return out


def test_each_prompts_samples_are_reported_to_its_row_grouped_by_datasource(server):
    cid = f"orl{next(_ids)}"
    args = orl.Args(rollout_batch_size=4, n_samples_per_prompt=3)
    s, loader, gen = build(server, cid, args)
    trained = steps(gen, 5)
    c = Client(server.url)
    reports = [e for e in c.log(cid) if e["type"] == "report"]
    assert len(reports) == 5
    for rep, step in zip(reports, trained):
        want = {}
        for prompt, r in step:
            want.setdefault(str(int(prompt.split()[1])), []).append(r)
        assert {o["taskId"]: o["rewards"] for o in rep["outcomes"]} == want
    assert sorted(g["name"] for g in c.stats(cid)["groups"]) == ["gsm8k", "math"]


def test_the_dataloader_checkpoint_resumes_the_curriculum_exactly(server):
    args = orl.Args(rollout_batch_size=4, n_samples_per_prompt=3)
    _, _, ref_gen = build(server, f"orl{next(_ids)}", args)
    ref = steps(ref_gen, 5)  # 24 rows / 4 per step: the epoch ends after 6
    cid = f"orl{next(_ids)}"
    _, loader, gen = build(server, cid, args)
    first = steps(gen, 2)
    client_states = {"data_loader_state_dict": loader.state_dict()}  # saved after step 2
    steps(gen, 1)  # step 3, then the run dies
    s2, loader2, gen2 = build(server, cid, args, register=False)
    loader2.load_state_dict(client_states["data_loader_state_dict"])
    gen2.calls = 2  # the rollout generator's own counter (its state) resumes too
    assert first + steps(gen2, 3) == ref


def test_an_allocator_that_varies_rollouts_per_prompt_is_refused_before_anything_is_created(server):
    import pytest
    cid = f"orl{next(_ids)}"
    with pytest.raises(ValueError, match="varies rollouts per prompt; OpenRLHF generates"):
        ProximaPromptSampler(orl.PromptDataset(ROWS), url=server.url, curriculum=cid, batch_size=4, config={"recipe": "knapsack"})
    assert cid not in [c["id"] for c in Client(server.url).list()]

"""Curriculum numbers for a trainer's logger: per-group share, pass rate and effective ratio.

    metrics = CurriculumMetrics(client, "run-1", wandb)            # or SummaryWriter(...), or a function(dict, step)
    ...
    metrics.log(step)                                               # every N steps

A sink is any of: a callable ``f(metrics: dict, step: int)``; an object with ``log(dict, step=...)``
(the ``wandb`` module or a W&B run, verl's ``Tracking``); an object with
``add_scalar(tag, value, global_step)`` (TensorBoard's ``SummaryWriter``). Nothing is imported.

Keys (discrete curricula), under ``prefix`` (default ``"curriculum"``):
``effective_ratio`` (share of reported rollout groups whose rewards differed: they carry gradient),
``last_effective_ratio``, ``selections``, ``reports``, and per group ``group/{name}/share`` (its
share of the selections), ``group/{name}/pass_rate``, ``group/{name}/effective_ratio``,
``group/{name}/reports``. Continuous curricula: ``mean_return``, ``last_mean_return``,
``episodes``, ``proposed``. Values the server has not got yet (no report) are left out.
"""
from typing import Any, Dict, Iterable, List, Optional

from .client import Client

__all__ = ["CurriculumMetrics", "metrics_of"]

_TOP = {"effectiveRatio": "effective_ratio", "lastEffectiveRatio": "last_effective_ratio", "selections": "selections",
        "reports": "reports", "meanReturn": "mean_return", "lastMeanReturn": "last_mean_return",
        "episodes": "episodes", "proposed": "proposed"}
_GROUP = {"selectionShare": "share", "meanPassRate": "pass_rate", "effectiveRatio": "effective_ratio", "reports": "reports"}


def metrics_of(stats: Dict[str, Any], prefix: str = "curriculum") -> Dict[str, float]:
    """The flat metrics dict of a ``GET /stats`` answer."""
    out: Dict[str, float] = {}
    for key, name in _TOP.items():
        if stats.get(key) is not None:
            out[f"{prefix}/{name}"] = float(stats[key])
    for g in stats.get("groups", []):
        for key, name in _GROUP.items():
            if g.get(key) is not None:
                out[f"{prefix}/group/{g['name']}/{name}"] = float(g[key])
    return out


class CurriculumMetrics:
    """Fetches a curriculum's stats and hands them to one or more sinks (see the module doc)."""

    def __init__(self, client: Client, curriculum: str, *sinks: Any, prefix: str = "curriculum"):
        self.client, self.curriculum, self.prefix = client, curriculum, prefix
        self.sinks: List[Any] = list(sinks)
        for s in self.sinks:
            if not (callable(s) or hasattr(s, "log") or hasattr(s, "add_scalar")):
                raise TypeError(f"{type(s).__name__} is not a sink: give a function(dict, step), an object with "
                                f"log(dict, step=) (W&B) or add_scalar(tag, value, global_step) (TensorBoard)")

    def collect(self) -> Dict[str, float]:
        return metrics_of(self.client.stats(self.curriculum), self.prefix)

    def log(self, step: int, extra_sinks: Iterable[Any] = ()) -> Dict[str, float]:
        """Collects the metrics, sends them to every sink at ``step`` and returns them."""
        m = self.collect()
        for s in list(self.sinks) + list(extra_sinks):
            if hasattr(s, "add_scalar"):
                for tag, value in m.items():
                    s.add_scalar(tag, value, step)
            elif hasattr(s, "log"):
                s.log(dict(m), step=step)
            else:
                s(dict(m), step)
        return m

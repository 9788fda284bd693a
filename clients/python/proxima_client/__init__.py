"""Proxima's Python client: standard library only (Python >= 3.9).

    from proxima_client import Client, CurriculumSampler, ParamSampler
    client = Client("http://127.0.0.1:7300")
    client.create("run-1", {"recipe": "sec", "seed": 7, "rollouts": 8})            # a pool of tasks
    client.create_continuous("walker", {"stump_height": (0, 3)}, teacher="alp-gmm")  # a box of parameters

Framework adapters, each in its own module (imported on demand, the framework itself optional):
proxima_client.verl (ProximaSampler), proxima_client.trl (ProximaGRPOMixin), proxima_client.openrlhf
(ProximaPromptSampler), proxima_client.gymnasium (CurriculumEnv). See docs/integrations.md.
"""
from .client import (
    BadRequest,
    Client,
    Conflict,
    NotFound,
    PayloadTooLarge,
    ProximaError,
    ServerUnavailable,
    Unauthorized,
    continuous_config,
    generate_requests,
    param_outcome,
)
from .env_params import EnvParams, ParamSampler
from .metrics import CurriculumMetrics, metrics_of
from .sampler import CurriculumSampler, to_outcomes

__all__ = [
    "Client",
    "CurriculumSampler",
    "CurriculumMetrics",
    "metrics_of",
    "to_outcomes",
    "ParamSampler",
    "EnvParams",
    "continuous_config",
    "param_outcome",
    "generate_requests",
    "ProximaError",
    "BadRequest",
    "Unauthorized",
    "NotFound",
    "Conflict",
    "PayloadTooLarge",
    "ServerUnavailable",
]
__version__ = "0.1.0"

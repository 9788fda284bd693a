"""Proxima's Python client: standard library only (Python >= 3.9).

    from proxima_client import Client, CurriculumSampler, ParamSampler
    client = Client("http://127.0.0.1:7300")
    client.create("run-1", {"recipe": "sec", "seed": 7, "rollouts": 8})            # a pool of tasks
    client.create_continuous("walker", {"stump_height": (0, 3)}, teacher="alp-gmm")  # a box of parameters

See docs/quickstart.md and docs/integrations.md.
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
    param_outcome,
)
from .env_params import EnvParams, ParamSampler
from .sampler import CurriculumSampler

__all__ = [
    "Client",
    "CurriculumSampler",
    "ParamSampler",
    "EnvParams",
    "continuous_config",
    "param_outcome",
    "ProximaError",
    "BadRequest",
    "Unauthorized",
    "NotFound",
    "Conflict",
    "PayloadTooLarge",
    "ServerUnavailable",
]
__version__ = "0.1.0"

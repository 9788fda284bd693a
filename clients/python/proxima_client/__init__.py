"""Proxima's Python client: standard library only (Python >= 3.9).

    from proxima_client import Client, CurriculumSampler
    client = Client("http://127.0.0.1:7300")
    client.create("run-1", {"recipe": "sec", "seed": 7, "rollouts": 8})

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
)
from .sampler import CurriculumSampler

__all__ = [
    "Client",
    "CurriculumSampler",
    "ProximaError",
    "BadRequest",
    "Unauthorized",
    "NotFound",
    "Conflict",
    "PayloadTooLarge",
    "ServerUnavailable",
]
__version__ = "0.1.0"

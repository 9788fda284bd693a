"""HTTP client for the Proxima server (/v1). Standard library only.

Every helper returns the decoded JSON answer. A refused request raises a ProximaError subclass that
carries the server's message, the offending field and the HTTP status. Network failures and 502/503/504
are retried with the very same body: `report` always carries a batch id and `next` a request id
(generated when not given), so a retried call is applied once by the server.

A curriculum is discrete (a pool of tasks: `create`, `add_tasks`, `next`, `report`) or continuous (a
box of named real parameters, for environment generators: `create_continuous`, `next_params`,
`report_params`). `stats`, checkpoints and the log work the same for both.

A trainer step in one request: `step` reports the last batch and draws the next (one commit on the
server). An actor fleet in one request: `batch` sends many next / report / step calls, on many
curricula, and gets each one's answer or error.
"""
import http.client
import json
import socket
import threading
import time
import uuid
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Union
from urllib.parse import quote, urlsplit

__all__ = [
    "Client",
    "ProximaError",
    "BadRequest",
    "Unauthorized",
    "NotFound",
    "Conflict",
    "PayloadTooLarge",
    "ServerUnavailable",
    "continuous_config",
    "param_outcome",
    "generate_requests",
]


class ProximaError(Exception):
    """A request the server refused (or could not answer).

    Attributes: status (HTTP status, 0 when the server was unreachable), message (the server's
    words), field (which field was wrong, e.g. "outcomes[3].rewards[1]", or None).
    """

    def __init__(self, status: int, message: str, field: Optional[str] = None):
        self.status = status
        self.message = message
        self.field = field
        where = f" [field {field}]" if field else ""
        super().__init__(f"HTTP {status}: {message}{where}" if status else message)


class BadRequest(ProximaError):
    """400: malformed or invalid input; nothing was changed."""


class Unauthorized(ProximaError):
    """401: the bearer token is missing or wrong."""


class NotFound(ProximaError):
    """404: unknown curriculum, checkpoint or route."""


class Conflict(ProximaError):
    """409: id already taken, or a batch id reused for different content."""


class PayloadTooLarge(ProximaError):
    """413: the body exceeds the server's limit."""


class ServerUnavailable(ProximaError):
    """The server could not be reached or answered 5xx after all retries."""


_BY_STATUS = {400: BadRequest, 401: Unauthorized, 404: NotFound, 409: Conflict, 413: PayloadTooLarge}
_RETRY_STATUS = {502, 503, 504}

Outcome = Mapping[str, Any]
Task = Union[str, Mapping[str, Any]]
# A box: {"stump_height": (0, 3), ...}, [("stump_height", 0, 3), ...] or [{"name": ..., "low": ..., "high": ...}, ...]
Box = Union[Mapping[str, Sequence[float]], Sequence[Any]]


def continuous_config(dims: Box, teacher: Optional[str] = None, seed: Optional[int] = None,
                      reward_scale: Optional[Sequence[float]] = None, pending_window: Optional[int] = None,
                      **teacher_params: Any) -> Dict[str, Any]:
    """The configuration of a continuous curriculum (docs/teachers.md, "Continuous task spaces").

    dims: the box, in dimension order (see Box); teacher: "random", "alp-gmm" (the server's default),
    "covar-gmm", "riac", "adr", "spdl" or "recent-alp-gmm", with its parameters as keywords (fitRate=250, ...), and
    mutation={...} for ACCEL-style edits (any teacher); reward_scale: (low, high)
    returns mapped to [0, 1] before the teacher sees them; pending_window: proposals reportable by id.
    """
    if isinstance(dims, Mapping):
        box = [{"name": str(k), "low": v[0], "high": v[1]} for k, v in dims.items()]
    else:
        box = [dict(d) if isinstance(d, Mapping) else {"name": str(d[0]), "low": d[1], "high": d[2]} for d in dims]
    config: Dict[str, Any] = {"space": {"dims": box}}
    if teacher is not None or teacher_params:
        config["teacher"] = dict(teacher_params, **({"type": teacher} if teacher is not None else {}))
    if seed is not None:
        config["seed"] = seed
    if reward_scale is not None:
        config["rewardScale"] = {"low": reward_scale[0], "high": reward_scale[1]}
    if pending_window is not None:
        config["pendingWindow"] = pending_window
    return config


def param_outcome(task: Any, returns: Any) -> Dict[str, Any]:
    """One outcome of a continuous curriculum. task: a proposal from next_params ({"id", "params"}) or
    anything with an ``id`` attribute (reported by id), an int id, a dict {dimension: value}, or a vector in
    dimension order (list, tuple, numpy array); returns: one episode return or a sequence of them."""
    if isinstance(task, Mapping) and "id" in task and "params" in task:
        out: Dict[str, Any] = {"taskId": task["id"]}
    elif getattr(task, "id", None) is not None:
        out = {"taskId": task.id}
    elif isinstance(task, int) and not isinstance(task, bool):
        out = {"taskId": task}
    elif isinstance(task, Mapping):
        out = {"params": dict(task)}
    else:
        out = {"params": _plain(task) if hasattr(task, "tolist") else list(task)}
    if hasattr(returns, "tolist"):
        returns = returns.tolist()
    out["returns"] = [returns] if isinstance(returns, (int, float)) else list(returns)
    return out


def generate_requests(answer: Mapping[str, Any]) -> List[Dict[str, str]]:
    """The tasks a curriculum with a "generation" block asks the trainer to derive, from a next answer or
    a step answer: [{"from": task id, "kind": "simplify" | "vary"}, ...] ([] when none). "simplify": write an
    easier variant of a task the learner keeps failing; "vary": another variant of a task in its learnable
    band. Add what you generate with Client.add_generated."""
    if "next" in answer and isinstance(answer["next"], Mapping):
        answer = answer["next"]
    return [dict(r) for r in answer.get("generate", [])]


def _plain(value: Any) -> Any:
    """JSON fallback for array-likes and scalars of numpy / torch (anything with tolist() or item())."""
    for name in ("tolist", "item"):
        f = getattr(value, name, None)
        if callable(f):
            return f()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


class Client:
    """A client for one Proxima server.

    url: e.g. "http://127.0.0.1:7300"; token: bearer token (or None); timeout: seconds per
    request; retries: attempts after the first on network errors and 502/503/504; backoff: seconds
    before the first retry, doubled each time. Thread-safe: each thread keeps its own connection.
    """

    def __init__(self, url: str = "http://127.0.0.1:7300", token: Optional[str] = None, timeout: float = 60.0,
                 retries: int = 5, backoff: float = 0.1):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"url must look like http://host:port, got {url!r}")
        self.url = url.rstrip("/")
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port or (443 if self._https else 80)
        self._prefix = parts.path.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self._local = threading.local()

    # ------------------------------------------------------------------ routes

    def health(self) -> Dict[str, Any]:
        return self._call("GET", "/healthz")

    def create(self, curriculum: str, config: Optional[Mapping[str, Any]] = None,
               tasks: Optional[Iterable[Task]] = None, kind: Optional[str] = None, resume: bool = False) -> Dict[str, Any]:
        """Creates a curriculum; with `tasks`, uploads them too. Returns the curriculum. `kind` is
        "discrete" or "continuous"; without it, a config with "space" is continuous.

        An existing id with the same kind and configuration is answered with that curriculum (the
        answer's "created" is False; `tasks` are then not uploaded); another configuration raises
        Conflict naming the differing fields, unless `resume=True`: then the existing curriculum is
        used as it is."""
        body: Dict[str, Any] = {"id": curriculum, "config": dict(config or {})}
        if kind is not None:
            body["kind"] = kind
        if resume:
            body["resume"] = True
        info, status = self._call("POST", "/v1/curricula", body, retry=True, with_status=True)
        info["created"] = status == 201
        if tasks is not None and info["created"]:
            self.add_tasks(curriculum, tasks)
            info = dict(self.get(curriculum), created=True)
        return info

    def list(self) -> List[Dict[str, Any]]:
        return self._call("GET", "/v1/curricula")["curricula"]

    def get(self, curriculum: str) -> Dict[str, Any]:
        return self._call("GET", self._path(curriculum))

    def delete(self, curriculum: str) -> Dict[str, Any]:
        return self._call("DELETE", self._path(curriculum), retry=False)

    def add_tasks(self, curriculum: str, tasks: Iterable[Task], chunk_bytes: int = 1 << 20) -> Dict[str, Any]:
        """Uploads tasks (all or nothing) as a streamed JSONL body: millions of tasks never become
        one string. A task is an id string or a dict {id, group?, priorDifficulty?, features?, parent?, kind?}
        (parent and kind: a generated task, see add_generated, which also makes the upload idempotent)."""

        def lines() -> Iterator[bytes]:
            buf = []
            size = 0
            for t in tasks:
                line = json.dumps({"id": t} if isinstance(t, str) else dict(t), separators=(",", ":"), allow_nan=False, default=_plain)
                b = line.encode("utf-8") + b"\n"
                buf.append(b)
                size += len(b)
                if size >= chunk_bytes:
                    yield b"".join(buf)
                    buf, size = [], 0
            if buf:
                yield b"".join(buf)

        return self._call("POST", self._path(curriculum, "tasks"), raw=lines(), content_type="application/x-ndjson", retry=False)

    def add_generated(self, curriculum: str, tasks: Iterable[Mapping[str, Any]], request_id: Optional[str] = None) -> Dict[str, Any]:
        """Adds tasks the trainer generated from existing ones, each linked to its parent: dicts {"id", "parent",
        "kind": "simplify" | "vary", "group"?, "priorDifficulty"?, "features"?} (no group: the parent's). All or
        nothing; keyed by request_id (generated when not given), so a retry of a lost answer adds nothing twice
        and gets the same answer {"added", "tasks", "requestId"}. An unknown parent, a parent later in the list,
        or another kind is a BadRequest naming the field (e.g. "tasks[2].parent")."""
        body = {"tasks": [dict(t) for t in tasks], "requestId": request_id or uuid.uuid4().hex}
        return self._call("POST", self._path(curriculum, "tasks"), body)

    def next(self, curriculum: str, n: int, request_id: Optional[str] = None, explain: bool = False) -> Dict[str, Any]:
        """The next batch: {"batch": k, "tasks": [{"id", "rollouts", "directives"?}, ...], "generate"?: [...]}
        ("generate": tasks to derive, only with a "generation" configuration; see generate_requests).
        A retry (same request_id) returns the same batch and moves nothing. With explain=True (discrete
        curricula) the answer adds "explain": per task, aligned with "tasks", the pieces that chose it and
        their numbers (group probability, the item policy's score, the pass-rate posterior; docs/api.md,
        "Explained next"); it draws the same tasks, and a retry returns the same explanation."""
        body = {"n": n, "requestId": request_id or uuid.uuid4().hex}
        if explain is not False:  # anything but a bool is the server's to refuse (BadRequest on "explain")
            body["explain"] = explain
        return self._call("POST", self._path(curriculum, "next"), body)

    def report(self, curriculum: str, outcomes: Sequence[Outcome], batch_id: Optional[str] = None) -> Dict[str, Any]:
        """Reports outcomes [{"taskId", "rewards": [...], "tokenLengths"?, "step"?, "loss"?, "directives"?}, ...]; returns
        {"accepted", "kept", "dropped", "filterBypassed", "verdicts"}. The same batch_id is applied once."""
        body = {"batchId": batch_id or uuid.uuid4().hex, "outcomes": [dict(o) for o in outcomes]}
        return self._call("POST", self._path(curriculum, "report"), body)

    def step(self, curriculum: str, outcomes: Sequence[Outcome], n: int, batch_id: Optional[str] = None,
             explain: bool = False) -> Dict[str, Any]:
        """Reports the last batch and draws the next one in one call (one commit on the server); returns
        {"report": <as report>, "next": <as next>}. Atomic: if either part is refused, nothing changes. The
        batch_id (generated when not given) keys both parts: a retry returns the same and applies nothing.
        explain=True (discrete curricula): the next part explains its tasks as next(..., explain=True) does."""
        body = {"batchId": batch_id or uuid.uuid4().hex, "outcomes": [dict(o) for o in outcomes], "n": n}
        if explain is not False:
            body["explain"] = explain
        return self._call("POST", self._path(curriculum, "step"), body)

    def step_params(self, curriculum: str, results: Iterable[Any], n: int, batch_id: Optional[str] = None) -> Dict[str, Any]:
        """`step` for a continuous curriculum: results as in report_params; returns {"report", "next"}."""
        outcomes = [dict(r) if isinstance(r, Mapping) else param_outcome(r[0], r[1]) for r in results]
        return self.step(curriculum, outcomes, n, batch_id=batch_id)

    def batch(self, requests: Iterable[Any]) -> List[Dict[str, Any]]:
        """Many calls, on many curricula, in one request (an actor fleet). requests: dicts {"curriculum", "op",
        "body"} or tuples (curriculum, op, body), op one of "next", "report", "step", body what that call's route
        takes. Returns one {"status", "body", "replayed"?} per request, in order: an item's error is its entry
        (status >= 400, body {"error", "field"}), never raised, and does not affect the other items. Keys missing
        from the bodies (requestId of next, batchId of report and step) are generated, so a retried batch applies
        each item once."""
        items = []
        for r in requests:
            curriculum, op, body = (r["curriculum"], r["op"], r["body"]) if isinstance(r, Mapping) else r
            body = dict(body)
            key = "requestId" if op == "next" else "batchId"
            body.setdefault(key, uuid.uuid4().hex)
            items.append({"curriculum": curriculum, "op": op, "body": body})
        return self._call("POST", "/v1/batch", {"requests": items})["responses"]

    def create_continuous(self, curriculum: str, dims: Box, teacher: Optional[str] = None, seed: Optional[int] = None,
                          reward_scale: Optional[Sequence[float]] = None, pending_window: Optional[int] = None,
                          **teacher_params: Any) -> Dict[str, Any]:
        """Creates a continuous curriculum over the box `dims` (see continuous_config)."""
        config = continuous_config(dims, teacher, seed, reward_scale, pending_window, **teacher_params)
        return self.create(curriculum, config, kind="continuous")

    def next_params(self, curriculum: str, n: int, request_id: Optional[str] = None) -> List[Dict[str, Any]]:
        """The next n proposals of a continuous curriculum: [{"id": 17, "params": {dimension: value}}, ...]
        (params in the box's dimension order). A retry (same request_id) returns the same proposals."""
        return self.next(curriculum, n, request_id=request_id)["tasks"]

    def report_params(self, curriculum: str, results: Iterable[Any], batch_id: Optional[str] = None) -> Dict[str, Any]:
        """Reports episode returns to a continuous curriculum; returns {"accepted", "episodes"}.
        results: (task, returns) pairs (see param_outcome) or outcome dicts {"taskId"?, "params"?, "returns"}.
        The same batch_id is applied once."""
        outcomes = [dict(r) if isinstance(r, Mapping) else param_outcome(r[0], r[1]) for r in results]
        return self.report(curriculum, outcomes, batch_id=batch_id)

    def stats(self, curriculum: str) -> Dict[str, Any]:
        return self._call("GET", self._path(curriculum, "stats"))

    def checkpoint(self, curriculum: str, step: int) -> Dict[str, Any]:
        """Stores the curriculum's state as the checkpoint of trainer step `step`."""
        return self._call("POST", self._path(curriculum, "checkpoints"), {"step": step})

    def checkpoints(self, curriculum: str) -> List[Dict[str, Any]]:
        return self._call("GET", self._path(curriculum, "checkpoints"))["checkpoints"]

    def restore(self, curriculum: str, step: int) -> Dict[str, Any]:
        """Makes the curriculum exactly its state at checkpoint `step`; discards the log after it."""
        return self._call("POST", self._path(curriculum, "checkpoints", str(int(step)), "restore"), {})

    def log(self, curriculum: str) -> List[Dict[str, Any]]:
        """The event log (first line: the creation with its config, then the events in order)."""
        text = self._call("GET", self._path(curriculum, "log"), decode=False)
        return [json.loads(line) for line in text.splitlines() if line.strip()]

    def metrics(self) -> str:
        return self._call("GET", "/metrics", decode=False)

    def openapi(self) -> Dict[str, Any]:
        return self._call("GET", "/v1/openapi.json")

    # ------------------------------------------------------------------ transport

    def _path(self, curriculum: str, *rest: str) -> str:
        return "/v1/curricula/" + "/".join([quote(curriculum, safe="")] + list(rest))

    def _connection(self, fresh: bool = False) -> http.client.HTTPConnection:
        c = getattr(self._local, "conn", None)
        if c is None or fresh:
            if c is not None:
                c.close()
            cls = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
            c = cls(self._host, self._port, timeout=self.timeout)
            self._local.conn = c
        return c

    def _call(self, method: str, path: str, body: Any = None, raw: Optional[Iterable[bytes]] = None,
              content_type: str = "application/json", retry: bool = True, decode: bool = True,
              with_status: bool = False) -> Any:
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data: Any = None
        if body is not None:
            data = json.dumps(body, separators=(",", ":"), allow_nan=False, default=_plain).encode("utf-8")
            headers["Content-Type"] = content_type
        elif raw is not None:
            data = raw
            headers["Content-Type"] = content_type
            headers["Transfer-Encoding"] = "chunked"
        attempts = 1 + (self.retries if retry else 0)
        delay = self.backoff
        last: Optional[BaseException] = None
        for attempt in range(attempts):
            try:
                conn = self._connection(fresh=attempt > 0)
                if raw is not None:
                    conn.request(method, self._prefix + path, body=data, headers=headers, encode_chunked=True)
                else:
                    conn.request(method, self._prefix + path, body=data, headers=headers)
                resp = conn.getresponse()
                payload = resp.read()
                status = resp.status
                if resp.getheader("Connection", "").lower() == "close":
                    conn.close()
                    self._local.conn = None
            except (OSError, http.client.HTTPException, socket.timeout) as e:
                last = e
                self._local.conn = None
                if attempt + 1 < attempts:
                    time.sleep(delay)
                    delay *= 2
                    continue
                raise ServerUnavailable(0, f"cannot reach the Proxima server at {self.url}: {e}") from e
            if status in _RETRY_STATUS and attempt + 1 < attempts:
                time.sleep(delay)
                delay *= 2
                continue
            text = payload.decode("utf-8")
            if status >= 400:
                message, field = text, None
                try:
                    err = json.loads(text)
                    message, field = err.get("error", text), err.get("field")
                except ValueError:
                    pass
                cls = _BY_STATUS.get(status, ServerUnavailable if status >= 500 else ProximaError)
                raise cls(status, message, field)
            result = (json.loads(text) if text else None) if decode else text
            return (result, status) if with_status else result
        raise ServerUnavailable(0, f"cannot reach the Proxima server at {self.url}: {last}")

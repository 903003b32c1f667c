"""Long work in a background thread, with its progress kept server-side (a reload finds it again).

One write job at a time per workspace: a second tab asking for the same (or another writing) job
gets a clear message naming what is running and since when, instead of a second writer.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from nianbao.errors import NianbaoError
from nianbao.messages import message

RUNNING, DONE, FAILED = "running", "done", "failed"
KIND_TEXT = {"ingest": "WEB-BUSY-INGEST", "aggregate": "WEB-BUSY-AGGREGATE", "templates": "WEB-BUSY-TEMPLATES",
             "mail": "WEB-BUSY-MAIL"}
MAX_KEPT = 50  # finished jobs remembered (for the page after a reload)


class Busy(NianbaoError):
    """Another job is writing to this workspace (HTTP 409)."""

    exit_code = 1


@dataclass
class Job:
    id: str
    kind: str
    workspace: str
    total: int
    done: int = 0
    state: str = RUNNING
    started: str = field(default_factory=lambda: datetime.now().strftime("%H:%M:%S"))
    lines: list[dict[str, str]] = field(default_factory=list)  # {"level": ..., "text": ...}
    summary: str = ""
    result: Any = None

    def add(self, text: str, level: str = "info") -> None:
        self.lines.append({"level": level, "text": text})

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "state": self.state, "total": self.total, "done": self.done,
                "started": self.started, "lines": list(self.lines), "summary": self.summary}


class Jobs:
    """The server's jobs. Thread-safe; one running writer per workspace."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs: dict[str, Job] = {}
        self._writer: dict[str, str] = {}  # workspace → running job id

    def start(self, kind: str, workspace: str, total: int, work: Callable[[Job], None], *,
              wait: bool = False) -> Job:
        """Run ``work(job)`` in a thread (or in this one with ``wait``); raises :class:`Busy`."""
        with self._lock:
            running = self._writer.get(workspace)
            if running is not None:
                other = self._jobs[running]
                raise Busy("WEB-BUSY", what=message(KIND_TEXT.get(other.kind, "WEB-BUSY-INGEST")),
                           started=other.started)
            job = Job(uuid.uuid4().hex, kind, workspace, total)
            self._jobs[job.id] = job
            self._writer[workspace] = job.id
            self._forget_old()

        def run() -> None:
            try:
                work(job)
                if job.state == RUNNING:  # the work may have said it failed
                    job.state = DONE
            except NianbaoError as exc:
                job.add(message("WEB-JOB-FAILED", reason=str(exc)), "error")
                job.summary = str(exc)
                job.state = FAILED
            except Exception as exc:  # a bug: the page still says what happened
                job.add(message("WEB-JOB-INTERNAL", reason=f"{type(exc).__name__}: {exc}"), "error")
                job.state = FAILED
            finally:
                with self._lock:
                    if self._writer.get(workspace) == job.id:
                        del self._writer[workspace]

        if wait:
            run()
        else:
            threading.Thread(target=run, name=f"nianbao-{kind}", daemon=True).start()
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def latest(self, workspace: str, kind: str) -> Job | None:
        with self._lock:
            found = [j for j in self._jobs.values() if j.workspace == workspace and j.kind == kind]
        return found[-1] if found else None

    def _forget_old(self) -> None:
        finished = [k for k, j in self._jobs.items() if j.state != RUNNING]
        for key in finished[:-MAX_KEPT]:
            del self._jobs[key]

"""Running questions for the API without a global lock:

- at most `ask_concurrency` questions compute at once (default: one per core) in worker
  threads; the others wait on the event loop holding no thread, so the CPU is not shared
  forty ways under the GIL and `/healthz` (which runs on the loop) stays quick;
- answers are kept per (question, what the role may see, question type, data generation): the
  same question asked again — fifty desks during one incident — is answered from memory until
  the next ingest or delete changes the data.
"""
from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

import anyio

from retrieval.contract import Answer

CACHE_SIZE = 2048


class Asking:
    def __init__(self, assistant, generation: Callable[[], object], concurrency: int = 0):
        self._assistant = assistant
        self._generation = generation
        self._limiter = anyio.CapacityLimiter(concurrency or max(2, os.cpu_count() or 2))
        self._cache: OrderedDict[tuple, Answer] = OrderedDict()
        self._lock = threading.Lock()

    async def ask(self, question: str, *, show_phones: bool, intent: str | None = None) -> Answer:
        start = time.perf_counter()
        key = (" ".join(question.split()), show_phones, intent, self._generation())
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
        if hit is not None:
            return hit.model_copy(update={"latency_ms": round((time.perf_counter() - start) * 1000, 1)})
        answer = await anyio.to_thread.run_sync(self._compute, question, show_phones, intent,
                                                limiter=self._limiter)
        with self._lock:
            self._cache[key] = answer
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return answer.model_copy(update={"latency_ms": round((time.perf_counter() - start) * 1000, 1)})

    def _compute(self, question: str, show_phones: bool, intent: str | None) -> Answer:
        return self._assistant.ask(question, show_phones=show_phones, intent=intent)

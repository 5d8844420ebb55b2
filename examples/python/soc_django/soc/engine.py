"""One finmark engine per process, opened on first use and shared by every request thread
(finmark engines are thread-safe and release the GIL while they work)."""

import atexit
import threading
from typing import Optional

from django.conf import settings

import finmark

_lock = threading.Lock()
_engine: Optional[finmark.Engine] = None


def get_engine() -> finmark.Engine:
    """The process's engine, opened from `FINMARK_URL` with the rules in `FINMARK_RULES`."""
    global _engine
    with _lock:
        if _engine is None:
            _engine = finmark.Engine(settings.FINMARK_URL, rules=settings.FINMARK_RULES)
        return _engine


@atexit.register
def close_engine() -> None:
    """Closes the engine; the next request opens a new one."""
    global _engine
    with _lock:
        if _engine is not None:
            _engine.close()
            _engine = None

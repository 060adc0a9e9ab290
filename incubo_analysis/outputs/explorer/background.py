"""Drawing the figures of the other horizons in a background thread, one chart at a time.

The explorer draws only its starting horizon when made; :class:`BackgroundDrawing`
then draws the figures of every horizon of the slider (2022-2030), nearest to the
explored horizon first, holding the explorer's lock only while it builds one chart,
then again while it draws it (a slider move waits for at most one of these steps,
about 30-80 ms of CPU), and pausing :data:`PAUSE_S` before each so that a waiting
update goes first. A horizon the slider
reaches before it is drawn is drawn then, by the update itself.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable

from incubo_analysis.outputs.explorer.charts import Chart
from incubo_analysis.outputs.explorer.compute import ScenarioState
from incubo_analysis.outputs.explorer.controls import CONTROL_SPECS

__all__ = ["PAUSE_S", "BackgroundDrawing"]

#: Pause (seconds) before each chart drawn in the background, leaving the kernel free
#: to take a slider move first.
PAUSE_S = 0.02


class BackgroundDrawing:
    """A daemon thread drawing each horizon's figures ahead of time (:meth:`Chart.prepare`, :meth:`Chart.draw_ahead`).

    Parameters
    ----------
    charts : iterable of Chart
        The charts to draw.
    lock : lock
        Held while one chart is drawn (the explorer holds it while it updates).
    state_at : callable
        Year -> the explored scenario at that horizon end (None if refused).
    current_end : callable
        () -> the horizon end explored now (the nearest horizons are drawn first).

    Attributes
    ----------
    error : Exception or None
        What stopped the drawing early (the horizons left are drawn when shown).
    """

    def __init__(self, charts: Iterable[Chart], lock: threading.RLock,
                 state_at: Callable[[int], ScenarioState | None], current_end: Callable[[], int]) -> None:
        self.charts = list(charts)
        self.lock = lock
        self.state_at = state_at
        self.current_end = current_end
        self.error: Exception | None = None
        self.thread = threading.Thread(target=self._run, name="incubo-explorer-predraw", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        _kind, lo, hi, *_rest = CONTROL_SPECS["horizon_end"]
        pending = set(range(int(lo), int(hi) + 1))
        try:
            while pending:
                end = min(pending, key=lambda h: (abs(h - self.current_end()), h))
                pending.discard(end)
                state = self.state_at(end)
                for chart in self.charts:
                    if state is None or chart.is_ready(state.years):
                        continue
                    time.sleep(PAUSE_S)
                    with self.lock:  # two steps (build, then draw): an update waits for one only
                        page = chart.prepare(state)
                    if page is not None:
                        time.sleep(PAUSE_S)
                        with self.lock:
                            chart.draw_ahead(page)
        except Exception as exc:  # noqa: BLE001 - the horizons left are drawn when shown
            self.error = exc

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the drawing to end (at most ``timeout`` seconds); True when it is over."""
        self.thread.join(timeout)
        return not self.thread.is_alive()

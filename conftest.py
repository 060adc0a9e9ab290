"""Root pytest configuration: what to collect, and nbval's comparison settings."""

collect_ignore = ["incubo_analysis/__main__.py", "benchmarks", "build"]


def pytest_collectstart(collector):
    """nbval compares text outputs; PNG images are never compared (nbval's default).

    ``text/html`` of the display tables is compared as well as ``text/plain``: both
    come from the same formatted frame, so a moved figure fails twice, never zero times.
    """
    if getattr(collector, "fspath", None) is not None and collector.fspath.ext == ".ipynb":
        collector.skip_compare += ("application/javascript",)

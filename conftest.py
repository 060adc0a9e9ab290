"""Root pytest configuration: what to collect, and what strict nbval compares.

nbval (``--nbval`` in pyproject.toml, strict) compares every stored output of every code
cell except the keys of its default skip list: metadata, tracebacks, widget model ids
(random) and PNG/JPEG images (matplotlib's bytes differ between builds; each chart cell's
figure is checked for presence by tests/test_notebooks.py). ``text/plain`` and ``text/html``
are both compared: tests/test_notebooks.py changes one number in each of them in a copy and
expects exactly those two cells to fail, and checks that no other output type is stored.
(An earlier hook here, adding ``application/javascript`` to the skip list through the
``fspath`` attribute that pytest 9 removed, never ran; no notebook stores JavaScript.)
"""

collect_ignore = ["incubo_analysis/__main__.py", "benchmarks", "build"]

import atexit
import os
import shutil
import tempfile

import matplotlib
import pytest

matplotlib.use("Agg")
os.environ.setdefault("OMP_NUM_THREADS", "1")

# Every self-check a test answers is recorded (lifecycle_kit.course.progress): into a throw-away file of this test
# process, never the real user's. Set at import, so notebook kernels started by the tests inherit it.
_PROGRESS_DIR = tempfile.mkdtemp(prefix="lifecycle-kit-test-progress-")
os.environ["LIFECYCLE_KIT_PROGRESS_FILE"] = os.path.join(_PROGRESS_DIR, "progress.jsonl")
atexit.register(shutil.rmtree, _PROGRESS_DIR, ignore_errors=True)


@pytest.fixture
def rng():
    import numpy as np

    return np.random.default_rng(0)


@pytest.fixture
def automatic_language(monkeypatch):
    """The kit's automatic choice of language, whatever the shell or a notebook says (tests of translations)."""
    from lifecycle_kit import i18n

    monkeypatch.delenv(i18n.ENV_VARIABLE, raising=False)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    i18n.set_language(None)
    yield
    i18n.set_language(None)


@pytest.fixture(params=["pyarrow", "pandas"])
def csv_parser(request, monkeypatch):
    """Read every CSV of the test with pyarrow's CSV reader, then with pandas' (lifecycle_kit.tables reads with pyarrow
    where it is installed, with pandas otherwise, and both must give the same frame): the test runs once per parser.
    The pyarrow run is skipped where pyarrow cannot be used, and says why."""
    from lifecycle_kit import _arrow_csv, tables

    if request.param == "pyarrow":
        why = _arrow_csv.unavailable()
        if why is not None:
            pytest.skip(why)
        monkeypatch.delenv(tables.PARSER_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(tables.PARSER_VARIABLE, "pandas")
    return request.param

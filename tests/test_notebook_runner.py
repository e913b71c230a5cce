"""The notebook harness turns a stalled kernel into a recorded retry that costs seconds, not minutes."""

import nbformat
import pytest

from tests import notebook_runner


def _notebook(tmp_path, source):
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell(source))
    path = tmp_path / "stall.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.mark.notebook
def test_a_stall_is_recorded_and_retried_in_a_fresh_kernel(tmp_path, monkeypatch):
    log = tmp_path / "stalls.log"
    monkeypatch.setattr(notebook_runner, "STALL_LOG", log)
    # The first run marks its working directory and then hangs; the retry finds the mark and passes.
    path = _notebook(tmp_path, "import pathlib, time\nmark = pathlib.Path('first-run')\n"
                               "if not mark.exists():\n    mark.touch()\n    time.sleep(30)\nprint('done')")
    with pytest.warns(UserWarning, match="notebook stall"):
        nb, seconds = notebook_runner.execute_notebook(path, cwd=tmp_path, timeout=2)
    assert nb.cells[0].outputs[0]["text"] == "done\n"
    assert "stall.ipynb attempt 1: CellTimeoutError" in log.read_text()


@pytest.mark.notebook
def test_a_notebook_that_keeps_stalling_fails_after_its_retries(tmp_path, monkeypatch):
    from nbclient.exceptions import CellTimeoutError

    monkeypatch.setattr(notebook_runner, "STALL_LOG", tmp_path / "stalls.log")
    path = _notebook(tmp_path, "import time\ntime.sleep(30)")
    with pytest.warns(UserWarning, match="notebook stall"), pytest.raises(CellTimeoutError):
        notebook_runner.execute_notebook(path, cwd=tmp_path, timeout=2, retries=1)
    assert len((tmp_path / "stalls.log").read_text().splitlines()) == 1

"""The text of a reference solution, as the learner writes it in the notebook.

A code exercise keeps its reference solution as a private function of the
selfchecks module (so it is tested like any code) and reveals the same code as
text: :func:`solution_text` reads the function's source and gives it the public
name the notebook's template uses, so the revealed solution cannot drift from
the one the checker runs.
"""

import inspect
import textwrap


def solution_text(function, name):
    """The source of ``function`` with its private name replaced by ``name``."""
    source = textwrap.dedent(inspect.getsource(function))
    return source.replace(f"def {function.__name__}(", f"def {name}(", 1).rstrip() + "\n"

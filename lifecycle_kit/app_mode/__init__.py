"""Files for app mode: a Voila template that fetches nothing from the internet.

:func:`lifecycle_kit.course.voila_command` puts ``share`` — this folder — on
``JUPYTER_PATH`` so Voila finds the ``lifecycle`` template.
"""

from pathlib import Path

SHARE = Path(__file__).resolve().parent
TEMPLATE = "lifecycle"

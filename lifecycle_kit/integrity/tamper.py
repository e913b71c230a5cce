"""An attacker's tools, for the exercises: change one byte of a table inside an archive, forge a manifest.

These functions exist so that verification can be shown failing for the
right reason; they are the attack, not a defence.
"""

import io
import tarfile

from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.integrity.archive import MANIFEST_NAME, _add, _read, _sha256
from lifecycle_kit.integrity.manifest import Manifest

__all__ = ["TAMPERINGS", "change_one_byte_in_row", "tamper_archive"]

TAMPERINGS = ("nothing", "one byte in a data row", "datasheet edited", "manifest forged", "file added")


def change_one_byte_in_row(csv_bytes, row):
    """Change one digit of data row ``row`` (0 = first row after the header) of a CSV; returns the new bytes."""
    lines = csv_bytes.split(b"\n")
    index = row + 1
    if not 1 <= index < len(lines) or not lines[index]:
        raise LifecycleKitError(f"row {row} is not in the table ({len(lines) - 2} rows)")
    line = bytearray(lines[index])
    for i, byte in enumerate(line):
        if 48 <= byte <= 57:  # the first digit of the row
            line[i] = 48 + (byte - 48 + 1) % 10
            break
    else:
        raise LifecycleKitError(f"row {row} has no digit to change")
    lines[index] = bytes(line)
    return b"\n".join(lines)


def tamper_archive(path, how, *, table="data", row=0):
    """Rewrite an archive as an attacker would: ``how`` is one of :data:`TAMPERINGS`."""
    if how not in TAMPERINGS:
        raise LifecycleKitError(f"how must be one of {', '.join(TAMPERINGS)}; got {how!r}")
    if how == "nothing":
        return
    files = _read(path)
    name = f"data/{table}.csv"
    if how in ("one byte in a data row", "manifest forged"):
        if name not in files:
            raise LifecycleKitError(f"the archive has no table {table!r}")
        files[name] = change_one_byte_in_row(files[name], row)
    if how == "datasheet edited":
        files["datasheet.md"] = files.get("datasheet.md", b"") + b"\nLicence: proprietary, all rights reserved.\n"
    if how == "file added":
        files["data/extra.csv"] = b"a,b\n1,2\n"
    if how == "manifest forged":
        # The attacker recomputes the row digests and every file digest so all of them match the changed data.
        import pandas as pd

        from lifecycle_kit.integrity.rows import RowManifest

        frame = pd.read_csv(io.BytesIO(files[name]))
        files[f"data/{table}.rows.json"] = RowManifest.from_frame(frame).to_json().encode("utf-8")
        manifest = Manifest.from_json(files[MANIFEST_NAME].decode("utf-8"))
        forged = {n: {"sha256": _sha256(files[n]), "size": len(files[n])} for n in manifest.files}
        files[MANIFEST_NAME] = Manifest(files=forged).to_json().encode("utf-8")
    with tarfile.open(path, "w:gz") as tar:
        for member in sorted(files):
            _add(tar, member, files[member])

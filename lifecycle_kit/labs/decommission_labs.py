"""Stages 9 and 10 labs: ArchiveLab (sign, tamper, rotate, shred) and DecommissionLab (purge, rescan, membership)."""

import html
import tempfile
from pathlib import Path

from lifecycle_kit.labs.base import Lab, checkbox, dropdown, int_slider

__all__ = ["ArchiveLab", "DecommissionLab", "changed_rows_sentence"]

ANSWERS = {  # what an archivist writes for the penguins data, section by section
    "motivation": "Teaching and research on penguin morphology; collected by Palmer Station LTER.",
    "collection": "Field measurements of adult penguins at nesting sites, 2007-2009 (Gorman et al. 2014).",
    "preprocessing": "Raw field records simplified to 8 columns by the palmerpenguins package; no imputation.",
    "uses": "Used in the Lifecycle Kit course, stages 5 and 9; not for decisions about individual animals.",
    "distribution": "CC0 1.0; distributed with the kit in data/penguins.csv.gz.",
    "maintenance": "Kept for the course's lifetime; destroyed by crypto-shredding its archive key.",
}


def changed_rows_sentence(rows):
    """Say which rows were changed, so that row 0 does not read as a count of zero.

    >>> changed_rows_sentence([0]), changed_rows_sentence([3, 17])
    ('Row 0 was changed.', 'Rows 3 and 17 were changed.')
    """
    rows = [str(r) for r in rows]
    if len(rows) == 1:
        return f"Row {rows[0]} was changed."
    return f"Rows {', '.join(rows[:-1])} and {rows[-1]} were changed."


class ArchiveLab(Lab):
    """Archive the penguins data with its datasheet and lineage; sign, tamper, rotate the key, shred.

    Examples
    --------
    >>> lab = ArchiveLab()
    >>> lab.result["check"].ok
    True
    >>> lab.controls["tamper"].value = "one byte in a data row"
    >>> lab.controls["row"].value = 42
    >>> lab.result["located_rows"]
    [42]
    """

    title = "Archive lab (stage 9)"
    intro = ("The archive holds the data, its datasheet and lineage, a manifest and a signature chain. Play the "
             "attacker, rotate the key, document more, or shred the key.")

    def __init__(self, *, lang=None):
        from lifecycle_kit.datasets import load
        from lifecycle_kit.integrity import generate_keypair
        from lifecycle_kit.provenance import LineageRecorder

        penguins = load("penguins")
        raw = penguins.frame.assign(species=penguins.target)
        recorder = LineageRecorder(raw, name="penguins (raw)", agent="course archivist")
        recorder.apply("drop rows with missing measurements",
                       lambda df: df.dropna(subset=["bill_length_mm", "body_mass_g"]).reset_index(drop=True))
        self.table, self.lineage = recorder.frame, recorder.lineage
        self.keys = {"first": generate_keypair(), "second": generate_keypair()}
        self.folder = Path(tempfile.mkdtemp(prefix="lifecycle-kit-archive-"))
        super().__init__(lang=lang)

    def _make_controls(self):
        import ipywidgets as widgets

        from lifecycle_kit.integrity.tamper import TAMPERINGS

        return {
            "documented": widgets.SelectMultiple(options=list(ANSWERS), value=("motivation", "collection"),
                                                 description="Datasheet sections written by people", rows=6,
                                                 style={"description_width": "initial"}, layout={"width": "520px"}),
            "tamper": dropdown("Attacker", list(TAMPERINGS), "nothing"),
            "row": int_slider("Row the attacker changes", 0, 0, len(self.table) - 1),
            "rotate": checkbox("Rotate the signing key (the old key endorses the new one)", False),
            "shred": checkbox("Crypto-shred: destroy the key of the encrypted copy", False),
        }

    def compute(self, documented, tamper, row, rotate, shred):
        from lifecycle_kit.decommission import EncryptedStore
        from lifecycle_kit.errors import IntegrityError
        from lifecycle_kit.integrity import open_archive, rotate_archive_key, write_archive
        from lifecycle_kit.integrity.tamper import tamper_archive
        from lifecycle_kit.provenance import DATASHEET_QUESTIONS, Datasheet

        sheet = Datasheet.from_frame(self.table, name="Palmer penguins", target="species", sensitive=())
        for section in documented:
            for question in DATASHEET_QUESTIONS[section]:
                sheet.answer(section, question, ANSWERS[section])
        path = self.folder / "penguins-archive.tar.gz"
        first_private, first_public = self.keys["first"]
        write_archive(path, tables={"penguins": self.table}, private_key=first_private, datasheet=sheet,
                      lineage=self.lineage, signed_at="2026-11-22T00:00:00+00:00")
        if rotate:
            rotate_archive_key(path, first_private, self.keys["second"][0], signed_at="2026-11-23T00:00:00+00:00")
        tamper_archive(path, tamper, table="penguins", row=row)
        check = open_archive(path, first_public)
        located = []
        for diff in check.row_changes.values():
            located += diff.changed
        store = EncryptedStore()
        ciphertext = store.encrypt(path.read_bytes())
        if shred:
            store.shred()
        try:
            store.decrypt(ciphertext)
            recoverable = True
        except IntegrityError:
            recoverable = False
        return {"check": check, "located_rows": located, "completeness": sheet.completeness(), "sheet": sheet,
                "keys_in_chain": len(check.chain.links) if check.chain else 0, "recoverable": recoverable,
                "archive_bytes": path.stat().st_size}

    def summarize(self, r):
        check = r["check"]
        verdict = ("<span style='color:#137333'><b>verified</b></span>" if check.ok
                   else f"<span style='color:#a50e0e'><b>refused</b></span>: {html.escape(check.summary())}")
        shred = "recoverable with the key" if r["recoverable"] else "<b>unrecoverable: the key was shredded</b>"
        return (f"Archive {verdict}. Signature chain: {r['keys_in_chain']} key(s). Datasheet documented: "
                f"<b>{r['completeness']['overall']:.0%}</b>. Encrypted copy: {shred}.")

    def render(self, r):
        import pandas as pd

        scores = pd.Series({k: f"{v:.0%}" for k, v in r["completeness"].items()}, name="documented").to_frame()
        problems = "".join(f"<li>{html.escape(p)}</li>" for p in r["check"].problems)
        located = f"<p><b>{changed_rows_sentence(r['located_rows'])}</b></p>" if r["located_rows"] else ""
        return [(f"<ul>{problems}</ul>" if problems else "<p>No problem found.</p>") + located, scores]


class DecommissionLab(Lab):
    """A retired model's workspace: purge some kinds of artefact, rescan for residual rows; membership inference.

    Examples
    --------
    >>> lab = DecommissionLab()
    >>> lab.result["residual_rows"] > 0
    True
    >>> for kind in ("purge_raw_data", "purge_backup", "purge_cache", "purge_log", "purge_derived_features"):
    ...     lab.controls[kind].value = True
    >>> lab.result["residue"].iloc[0]["path"]
    'models/knn.pkl'
    """

    title = "Decommission lab (stage 10)"
    intro = "Tick what to purge; the rescan looks for the training rows in everything that is left."

    KINDS = ("raw data", "backup", "cache", "log", "derived features", "model")

    def __init__(self, *, random_state=0, lang=None):
        from lifecycle_kit.datasets import load

        from lifecycle_kit.decommission import build_workspace

        cancer = load("breast_cancer")
        self.frame, self.target = cancer.frame, cancer.target
        adult = load("adult")
        sample = adult.frame.sample(2000, random_state=random_state)
        self.member_X, self.member_y = sample.select_dtypes("number"), adult.target.loc[sample.index]
        self.random_state = random_state
        self._membership = {}
        # The workspace is laid out once; each purge works on a fresh copy of it.
        self.pristine = Path(tempfile.mkdtemp(prefix="lifecycle-kit-workspace-"))
        self.artefacts = build_workspace(self.frame, self.target, self.pristine, random_state=random_state)
        from lifecycle_kit.privacy import MEMBERSHIP_MODELS

        for model in MEMBERSHIP_MODELS:  # attacks computed once, so switching the model answers at once
            self.membership(model)
        super().__init__(lang=lang)

    def _make_controls(self):
        from lifecycle_kit.privacy import MEMBERSHIP_MODELS

        controls = {f"purge_{k.replace(' ', '_')}": checkbox(f"Purge {k}", False) for k in self.KINDS}
        controls["model"] = dropdown("Membership inference against", list(MEMBERSHIP_MODELS), "overfit_tree")
        return controls

    def membership(self, model):
        if model not in self._membership:
            from lifecycle_kit.privacy import membership_inference

            self._membership[model] = membership_inference(self.member_X, self.member_y, model=model,
                                                           random_state=self.random_state)
        return self._membership[model]

    def membership_table(self):
        """Every model's membership-inference result (computed when the lab was built)."""
        import pandas as pd

        return pd.DataFrame([vars(r) for r in self._membership.values()])

    def compute(self, model, **purges):
        import shutil

        from lifecycle_kit.decommission import inventory, purge, rescan

        folder = Path(tempfile.mkdtemp(prefix="lifecycle-kit-workspace-")) / "workspace"
        shutil.copytree(self.pristine, folder)
        artefacts = self.artefacts
        before = inventory(folder, artefacts)
        kinds = [k for k in self.KINDS if purges[f"purge_{k.replace(' ', '_')}"]]
        reports = purge(folder, kinds, artefacts) if kinds else []
        residue = rescan(folder, self.frame)
        return {"before": before, "purged": reports, "skipped": list(getattr(reports, "skipped", [])),
                "residue": residue, "residual_rows": int(residue["rows_found"].max()) if len(residue) else 0,
                "kinds": kinds, "membership": self.membership(model)}

    def summarize(self, r):
        holding = r["residue"][r["residue"]["rows_found"] > 0]
        where = ", ".join(f"{p} ({n})" for p, n in zip(holding["path"], holding["rows_found"])) or "nowhere"
        skipped = f" Left alone (links, not followed): {len(r['skipped'])}." if r["skipped"] else ""
        return (f"Purged {len(r['purged'])} file(s).{skipped} Training rows still found: <b>{where}</b>. "
                f"Membership inference: {html.escape(r['membership'].summary())}.")

    def render(self, r):
        return [r["residue"], r["before"]]

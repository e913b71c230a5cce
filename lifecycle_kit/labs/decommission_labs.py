"""Stages 9 and 10 labs: ArchiveLab (sign, tamper, rotate, shred) and DecommissionLab (purge, rescan, membership)."""

from __future__ import annotations

import html
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from lifecycle_kit.i18n import N_, _, ngettext, pgettext
from lifecycle_kit.labs.base import Lab, checkbox, dropdown, int_slider, localise_frame

if TYPE_CHECKING:
    import pandas as pd

    from lifecycle_kit.privacy import MembershipResult

__all__ = ["ArchiveLab", "DecommissionLab", "changed_rows_sentence", "membership_sentence"]

ANSWERS = {  # what an archivist writes for the penguins data, section by section
    "motivation": "Teaching and research on penguin morphology; collected by Palmer Station LTER.",
    "collection": "Field measurements of adult penguins at nesting sites, 2007-2009 (Gorman et al. 2014).",
    "preprocessing": "Raw field records simplified to 8 columns by the palmerpenguins package; no imputation.",
    "uses": "Used in the Lifecycle Kit course, stages 5 and 9; not for decisions about individual animals.",
    "distribution": "CC0 1.0; distributed with the kit in data/penguins.csv.gz.",
    "maintenance": "Kept for the course's lifetime; destroyed by crypto-shredding its archive key.",
}


SECTION_LABELS = {"motivation": N_("motivation"), "collection": N_("collection"), "preprocessing": N_("preprocessing"),
                  "uses": N_("uses"), "distribution": N_("distribution"), "maintenance": N_("maintenance"),
                  "overall": N_("overall")}
# lifecycle_kit.integrity.tamper.TAMPERINGS and the decommission lab's kinds of artefact, as the learner reads them.
TAMPER_LABELS = {"nothing": N_("nothing"), "one byte in a data row": N_("one byte in a data row"),
                 "datasheet edited": N_("datasheet edited"), "manifest forged": N_("manifest forged"),
                 "file added": N_("file added")}
KIND_LABELS = {"raw data": N_("raw data"), "backup": N_("backup"), "cache": N_("cache"), "log": N_("log"),
               "derived features": N_("derived features"), "model": N_("model")}
# lifecycle_kit.privacy.MEMBERSHIP_MODELS: the option shows the model's name, the core receives its key.
MODEL_LABELS = {"overfit_tree": N_("overfit tree"), "forest": N_("random forest"), "knn_1": N_("1-nearest neighbour"),
                "logistic_regularised": N_("regularised logistic regression"), "shallow_tree": N_("shallow tree")}
RESIDUE_COLUMNS = {"path": N_("path"), "kind": N_("kind"), "rows_found": N_("rows_found"), "bytes": N_("bytes")}


def changed_rows_sentence(rows):
    """Say which rows were changed, so that row 0 does not read as a count of zero.

    >>> changed_rows_sentence([0]), changed_rows_sentence([3, 17])
    ('Row 0 was changed.', 'Rows 3 and 17 were changed.')
    """
    rows = [str(r) for r in rows]
    if len(rows) == 1:
        return _("Row {row} was changed.", row=rows[0])
    return _("Rows {rows} and {last} were changed.", rows=", ".join(rows[:-1]), last=rows[-1])


def membership_sentence(result: MembershipResult) -> str:
    """What a membership-inference result says (``MembershipResult.summary()``), in the current language.

    >>> from types import SimpleNamespace
    >>> r = SimpleNamespace(model="forest", auc=0.61, ci=(0.58, 0.64), beats_chance=True, train_accuracy=1.0,
    ...                     test_accuracy=0.8)
    >>> membership_sentence(r)
    'random forest: attack AUC 0.610 (95% CI 0.580-0.640), beats chance; train accuracy 1.000, test 0.800'
    """
    verdict = _("beats chance") if result.beats_chance else _("no better than chance")
    return _("{model}: attack AUC {auc:.3f} (95% CI {low:.3f}-{high:.3f}), {verdict}; train accuracy {train:.3f}, "
             "test {test:.3f}", model=_(MODEL_LABELS.get(result.model, result.model)), auc=result.auc,
             low=result.ci[0], high=result.ci[1], verdict=verdict, train=result.train_accuracy,
             test=result.test_accuracy)


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

    title = N_("Archive lab (stage 9)")
    intro = N_("The archive holds the data, its datasheet and lineage, a manifest and a signature chain. Play the "
               "attacker, rotate the key, document more, or shred the key.")

    def __init__(self, *, lang: str | None = None) -> None:
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
            "documented": widgets.SelectMultiple(options=[(_(SECTION_LABELS.get(k, k)), k) for k in ANSWERS],
                                                 value=("motivation", "collection"),
                                                 description=_("Datasheet sections written by people"), rows=6,
                                                 style={"description_width": "initial"}, layout={"width": "520px"}),
            "tamper": dropdown(_("Attacker"), [(_(TAMPER_LABELS.get(t, t)), t) for t in TAMPERINGS], "nothing"),
            "row": int_slider(_("Row the attacker changes"), 0, 0, len(self.table) - 1),
            "rotate": checkbox(_("Rotate the signing key (the old key endorses the new one)"), False),
            "shred": checkbox(_("Crypto-shred: destroy the key of the encrypted copy"), False),
        }

    def compute(self, documented: Sequence[str], tamper: str, row: int, rotate: bool, shred: bool) -> dict[str, Any]:
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

    def summarize(self, r: dict[str, Any]) -> str:
        check = r["check"]
        # The integrity check's own report (file names, what differs) is written by the core, in English.
        verdict = ("<span style='color:#137333'><b>" + pgettext("archive", "verified") + "</b></span>" if check.ok
                   else "<span style='color:#a50e0e'><b>" + pgettext("archive", "refused") + "</b></span>: " + html.escape(check.summary()))
        shred = (_("recoverable with the key") if r["recoverable"]
                 else "<b>" + _("unrecoverable: the key was shredded") + "</b>")
        keys = ngettext("{n} key", "{n} keys", r["keys_in_chain"])
        return _("Archive {verdict}. Signature chain: {keys}. Datasheet documented: <b>{documented:.0%}</b>. "
                 "Encrypted copy: {shred}.", verdict=verdict, keys=keys, documented=r["completeness"]["overall"],
                 shred=shred)

    def render(self, r: dict[str, Any]) -> list[Any]:
        import pandas as pd

        scores = pd.Series({_(SECTION_LABELS.get(k, k)): f"{v:.0%}" for k, v in r["completeness"].items()},
                           name=_("documented")).to_frame()
        problems = "".join(f"<li>{html.escape(p)}</li>" for p in r["check"].problems)
        located = f"<p><b>{changed_rows_sentence(r['located_rows'])}</b></p>" if r["located_rows"] else ""
        return [(f"<ul>{problems}</ul>" if problems else "<p>" + _("No problem found.") + "</p>") + located, scores]


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

    title = N_("Decommission lab (stage 10)")
    intro = N_("Tick what to purge; the rescan looks for the training rows in everything that is left.")

    KINDS: tuple[Literal["raw data", "backup", "cache", "log", "derived features", "model"], ...] = (
        "raw data", "backup", "cache", "log", "derived features", "model")

    _membership: dict[str, MembershipResult]  # one attack per model, run on first use

    def __init__(self, *, random_state: int = 0, lang: str | None = None) -> None:
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

        controls = {f"purge_{k.replace(' ', '_')}": checkbox(_("Purge {kind}", kind=_(KIND_LABELS[k])), False)
                    for k in self.KINDS}
        controls["model"] = dropdown(_("Membership inference against"),
                                     [(_(MODEL_LABELS.get(m, m)), m) for m in MEMBERSHIP_MODELS], "overfit_tree")
        return controls

    def membership(self, model: Literal["overfit_tree", "forest", "knn_1", "logistic_regularised", "shallow_tree"]) -> MembershipResult:
        if model not in self._membership:
            from lifecycle_kit.privacy import membership_inference

            self._membership[model] = membership_inference(self.member_X, self.member_y, model=model,
                                                           random_state=self.random_state)
        return self._membership[model]

    def membership_table(self) -> pd.DataFrame:
        """Every model's membership-inference result (computed when the lab was built)."""
        import pandas as pd

        return pd.DataFrame([vars(r) for r in self._membership.values()])

    def compute(self, model: Literal["overfit_tree", "forest", "knn_1", "logistic_regularised", "shallow_tree"], **purges: bool) -> dict[str, Any]:
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

    def summarize(self, r: dict[str, Any]) -> str:
        holding = r["residue"][r["residue"]["rows_found"] > 0]
        where = ", ".join(f"{p} ({n})" for p, n in zip(holding["path"], holding["rows_found"])) or _("nowhere")
        skipped = (" " + _("Left alone (links, not followed): {count}.", count=len(r["skipped"]))
                   if r["skipped"] else "")
        purged = ngettext("Purged {n} file.", "Purged {n} files.", len(r["purged"]))
        return _("{purged}{skipped} Training rows still found: <b>{where}</b>. Membership inference: {membership}.",
                 purged=purged, skipped=skipped, where=where, membership=html.escape(membership_sentence(r["membership"])))

    def render(self, r: dict[str, Any]) -> list[Any]:
        def shown(frame):
            if "kind" in frame.columns:
                frame = frame.assign(kind=[_(KIND_LABELS.get(k, k)) for k in frame["kind"]])
            return localise_frame(frame, RESIDUE_COLUMNS)

        return [shown(r["residue"]), shown(r["before"])]

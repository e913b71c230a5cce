"""Stage 1, 3, 9 and 10 labs: every control across its range."""

import pytest

from lifecycle_kit.labs import ArchiveLab, CollapseLab, DecommissionLab, RelevanceLab, SourceRegistryLab
from lifecycle_kit.labs.base import slider_values


def test_source_registry_lab_controls():
    lab = SourceRegistryLab()
    for chosen in slider_values(lab.controls["include"]):
        lab.controls["include"].value = chosen
        assert len(lab.result["sources"]) == len(chosen)
        if not chosen:
            assert not lab.result["needs"]["covered"].any()
    lab.controls["include"].value = tuple(value for _label, value in lab.controls["include"].options)
    covered = []
    for level in slider_values(lab.controls["min_trust"]):
        lab.controls["min_trust"].value = level
        covered.append(int(lab.result["needs"]["covered"].sum()))
    assert covered == sorted(covered, reverse=True)
    stale = []
    for days in slider_values(lab.controls["max_age_days"]):
        lab.controls["max_age_days"].value = days
        stale.append(lab.result["sources"]["flags"].str.contains("days ago").sum())
    assert stale == sorted(stale, reverse=True) and stale[0] > stale[-1]


def test_relevance_lab_controls():
    lab = RelevanceLab()
    honest = lab.compute(keep=tuple(c for c in lab.frame.columns if c != "record_id"), threshold=0.01)
    assert lab.result["leaks_kept"] == ["record_id"] and honest["leaks_kept"] == []
    for chosen in slider_values(lab.controls["keep"])[:6]:
        lab.controls["keep"].value = chosen
        assert lab.result["kept"] == list(chosen)
    lab.controls["keep"].value = ("record_id",)
    assert lab.result["accuracy"] > 0.95
    irrelevant = []
    for t in slider_values(lab.controls["threshold"]):
        lab.controls["threshold"].value = t
        irrelevant.append(int((lab.result["screen"]["flag"] == "irrelevant").sum()))
    assert irrelevant == sorted(irrelevant) and irrelevant[-1] > irrelevant[0]


def test_collapse_lab_controls():
    lab = CollapseLab()
    for g in slider_values(lab.controls["generations"]):
        lab.controls["generations"].value = g
        assert lab.result.to_frame()["generation"].iloc[-1] == g
    lab.controls["generations"].value = 100
    sigmas = []
    for n in slider_values(lab.controls["sample_size"]):
        lab.controls["sample_size"].value = n
        sigmas.append(lab.result.at(100)["sigma_median"])
    assert sigmas[0] < sigmas[-1]
    lab.controls["sample_size"].value = 100
    for share in slider_values(lab.controls["real_share"]):
        lab.controls["real_share"].value = share
        assert lab.result.real_share == share
    assert lab.result.at(100)["sigma_median"] > 0.9
    lab.controls["real_share"].value = 0.0
    for mode in slider_values(lab.controls["mode"]):
        lab.controls["mode"].value = mode
        assert lab.result.mode == mode
    for dist in slider_values(lab.controls["distribution"]):
        lab.controls["distribution"].value = dist
        assert lab.result.distribution == dist


@pytest.fixture(scope="module")
def archive_lab():
    return ArchiveLab()


def test_archive_lab_tampering_and_rows(archive_lab):
    lab = archive_lab
    for how in slider_values(lab.controls["tamper"]):
        lab.controls["tamper"].value = how
        assert lab.result["check"].ok == (how == "nothing")
    lab.controls["tamper"].value = "one byte in a data row"
    for row in (0, 1, 100, lab.controls["row"].max):
        lab.controls["row"].value = row
        assert lab.result["located_rows"] == [row]
    lab.controls["tamper"].value = "nothing"


def test_archive_lab_rotation_documentation_and_shredding(archive_lab):
    lab = archive_lab
    for rotate in slider_values(lab.controls["rotate"]):
        lab.controls["rotate"].value = rotate
        assert lab.result["keys_in_chain"] == (2 if rotate else 1) and lab.result["check"].ok
    scores = []
    for chosen in slider_values(lab.controls["documented"]):
        lab.controls["documented"].value = chosen
        scores.append(lab.result["completeness"]["overall"])
    assert scores[0] < scores[-1]
    for shred in slider_values(lab.controls["shred"]):
        lab.controls["shred"].value = shred
        assert lab.result["recoverable"] is (not shred)


def test_decommission_lab_controls():
    lab = DecommissionLab()
    assert lab.result["residual_rows"] == 569
    kinds = [k for k in lab.controls if k.startswith("purge_")]
    for k in kinds:
        for on in slider_values(lab.controls[k]):
            lab.controls[k].value = on
            assert (k.removeprefix("purge_").replace("_", " ") in lab.result["kinds"]) is on
        lab.controls[k].value = True
    assert lab.result["residual_rows"] == 0 and len(lab.result["residue"]) == 0
    lab.controls["purge_model"].value = False
    assert lab.result["residue"].iloc[0]["path"] == "models/knn.pkl"
    for model in slider_values(lab.controls["model"]):
        lab.controls["model"].value = model
        assert lab.result["membership"].model == model
        assert lab.result["membership"].beats_chance == (model in ("overfit_tree", "forest", "knn_1"))

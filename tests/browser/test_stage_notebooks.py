"""Each stage notebook in JupyterLab: Run All without errors, the lab renders, one control moved, the output changes."""

import pytest

from tests.browser.lab_driver import (
    lab_locator,
    open_notebook,
    run_all,
    select_option,
    set_slider_value,
    summary_text,
    wait_for_change,
)

pytestmark = pytest.mark.browser

# notebook -> (lab class, action, text expected in the new summary)
ACTIONS = {
    "01_conception.ipynb": ("SourceRegistryLab",
                            lambda lab: select_option(lab, "Minimum trust to use a source", "unknown"),
                            "4 of 4 data needs covered"),
    "03_data_planning.ipynb": ("CollapseLab",
                               lambda lab: select_option(lab, "Training data", "accumulate: every generation so far"),
                               "median spread"),
    "09_data_decommissioning.ipynb": ("ArchiveLab", lambda lab: select_option(lab, "Attacker", "manifest forged"),
                                      "refused"),
    "10_system_decommissioning.ipynb": ("DecommissionLab",
                                        lambda lab: select_option(lab, "Membership inference against",
                                                                  "regularised logistic regression"),
                                        "no better than chance"),
    "02_business_requirements.ipynb": ("SpecLab", lambda lab: select_option(lab, "Corruption", "out-of-range numbers"),
                                       "corrupted rows caught"),
    "04_data_acquisition.ipynb": ("PoisoningLab",
                                  lambda lab: select_option(lab, "Attack", "targeted: malignant -> benign"),
                                  "malignant recall"),
    "05_data_preparation.ipynb": ("ExpertPanelLab", lambda lab: set_slider_value(lab, "Adversarial experts", 2),
                                  "Kendall's W"),
    "07_system_deployment.ipynb": ("ServingBugLab",
                                   lambda lab: select_option(lab, "Serving bug", "millimetres to centimetres"),
                                   "distribution tests"),
    "08_system_operation.ipynb": ("MonitoringLab",
                                  lambda lab: select_option(lab, "Retraining policy", "when below the floor"),
                                  "Policy when below the floor"),
    "11_capstone_multi_source.ipynb": ("LinkageLab",
                                       lambda lab: select_option(lab, "Compare only records that agree on",
                                                                 "study + island"),
                                       "recall"),
    "06_model_building.ipynb": ("QualityGateLab", lambda lab: set_slider_value(lab, "Missing values", 0.2),
                                "Gate blocked"),
}


@pytest.mark.parametrize("notebook", sorted(ACTIONS))
def test_notebook_runs_and_its_lab_responds(page, lab_server, artifacts, notebook):
    open_notebook(page, lab_server, notebook)
    assert run_all(page) == []
    lab_class, action, expected = ACTIONS[notebook]
    lab = lab_locator(page, lab_class)
    before = summary_text(lab)
    action(lab)
    after = wait_for_change(lab, before)
    assert expected in after
    lab.screenshot(path=str(artifacts / f"{notebook.removesuffix('.ipynb')}.png"))

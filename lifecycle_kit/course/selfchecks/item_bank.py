"""The assessment item bank: the pre-test, the post-test and the recall questions, each tied to one objective.

The self-checks of a notebook ask about what the notebook just showed. The items
here measure what the course taught: each is tied to one learning objective that
a notebook names in its Orientation (:data:`OBJECTIVES`, ``"04.2"`` for the
second objective of ``04_data_acquisition``), and asks the learner to predict,
explain, choose what to change or spot the flaw, never to recall a number seen
on screen.

Three forms:

- ``"A"`` — the pre-test (``for_notebook("pre_test")``), taken at the start of 00;
- ``"B"`` — the post-test (``for_notebook("post_test")``), taken in the closing
  notebook. Each B item is the parallel of the A item on the same objective (a
  new case, the same reasoning), so the post-test is not the pre-test again;
- ``"R"`` — recall: quick questions on earlier stages asked at the top of each
  stage notebook from 02 on (:data:`RECALL_PLAN`), never the pre- or post-test's
  items.

Options are written below in the order that reads best; at import, the right
answer is moved so that its letter cycles through a-d form by form (a learner
cannot score by always picking one letter).

Every text is marked with ``N_()`` and translated in the catalogue, so both
editions ask the same items; an objective's text is its Orientation bullet
without "You will be able to", and its translation is the Russian bullet
(tests/test_assessment.py checks both against the notebooks).

>>> from lifecycle_kit.course.selfchecks.item_bank import ITEMS, items_of_form
>>> len(items_of_form("A")) == len(items_of_form("B"))
True
>>> sorted({item.objective for item in items_of_form("A")}) == sorted({i.objective for i in items_of_form("B")})
True
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from lifecycle_kit.i18n import N_

__all__ = ["FORMS", "ITEMS", "OBJECTIVES", "RECALL_PLAN", "Item", "bank_frame", "get_item", "items_of_form",
           "objective_notebook"]

FORMS = ("A", "B", "R")
_OUT_PER_COLUMN = 0.02  # a 1st-99th percentile range leaves out this share of clean values, by construction

#: The notebook of each objective's two-digit prefix.
_NOTEBOOKS = {
    "01": "01_conception", "02": "02_business_requirements", "03": "03_data_planning", "04": "04_data_acquisition",
    "05": "05_data_preparation", "06": "06_model_building", "07": "07_system_deployment",
    "08": "08_system_operation", "09": "09_data_decommissioning", "10": "10_system_decommissioning",
    "11": "11_capstone_multi_source",
}

#: ``{"NN.k": text}``: the k-th learning objective of notebook NN's Orientation, without "You will be able to".
OBJECTIVES = {
    "01.2": N_("configure a source registry (sources, minimum trust, verification period) and detect the data needs "
               "left without a trusted source"),
    "01.3": N_("compute a relevance screen (mutual information against a shuffled-target chance level) and detect a "
               "suspected leak before any model exists"),
    "01.4": N_("choose which candidate features to keep, and explain why near-perfect information calls for "
               "suspicion, not celebration"),
    "02.2": N_("verify a new batch against the specification and explain each violation it reports"),
    "02.3": N_("predict, then measure, the false-alarm rate that ranges which are too tight produce on clean data"),
    "02.4": N_("explain why integrity and availability requirements apply to public data that holds no secrets"),
    "03.1": N_("choose weights over the ISO/IEC 5259-2 quality characteristics for a task, and explain why the best "
               "candidate dataset depends on them"),
    "03.2": N_("explain model collapse: why a distribution refitted on its own samples loses its spread and its tails"),
    "03.3": N_("explain why an average over runs hides the collapse that the median and the tail mass show"),
    "04.2": N_("explain why a digest alone does not stop an attacker who can rewrite the manifest, and a signature "
               "does"),
    "04.3": N_("compare random and targeted label flipping, and explain why accuracy hides a targeted attack"),
    "04.4": N_("detect a backdoor by its attack success, and explain why clean accuracy cannot reveal it"),
    "05.2": N_("choose an aggregate of expert scores that resists a dishonest expert, and explain when qualification "
               "weighting helps and when it does not"),
    "05.3": N_("compute quality measures on raw data, including missing values in disguise, and explain why accuracy "
               "can hide a defect"),
    "05.4": N_("compute the precision and recall of a label-noise check, and explain how near-duplicates across the "
               "split inflate test accuracy"),
    "06.1": N_("configure a quality gate that refuses to train on data below its thresholds, and explain the reasons "
               "it gives"),
    "06.2": N_("explain why overall accuracy hides class imbalance, and choose the per-class measure to report "
               "instead"),
    "06.3": N_("compare defences against poisoning by their precision and recall, and explain why none catches "
               "everything"),
    "07.1": N_("verify serving batches against the stage-2 data specification and explain which serving bugs it "
               "catches"),
    "07.2": N_("detect a unit bug that passes the specification with distribution tests (PSI, Wasserstein distance) "
               "and a domain classifier"),
    "07.4": N_("choose the checks a deployment needs before a change in how the inputs are produced"),
    "08.1": N_("explain covariate, prior and concept drift, and which of them tests on the inputs can and cannot see"),
    "08.2": N_("detect drift with two-sample tests (KS, PSI, Wasserstein distance) and with detectors on the error "
               "stream (Page–Hinkley, DDM, ADWIN), and explain the trade-off between detection delay and false alarms"),
    "08.3": N_("explain why a tiny shift is statistically significant on a large sample, and choose an effect size "
               "instead"),
    "09.2": N_("verify a signed archive, and detect and locate a changed row with row digests"),
    "09.4": N_("explain when crypto-shredding destroys every copy of the data, and when it does not"),
    "10.2": N_("explain why a fitted model is a data store, and detect the training rows kept inside a "
               "k-nearest-neighbours model"),
    "10.3": N_("explain what a membership-inference attack by a confidence threshold measures, and choose the model "
               "that leaks less"),
    "11.5": N_("explain why each source is monitored against its own reference, appraise the published case behind "
               "the platform (its feedback loop, its access, its claimed results, its surveillance), and write the "
               "conclusions of a lifecycle report"),
}


def objective_notebook(objective: str) -> str:
    """The notebook whose Orientation names an objective: ``"04.2"`` -> ``"04_data_acquisition"``."""
    return _NOTEBOOKS[objective.split(".", 1)[0]]


@dataclass(frozen=True)
class Item:
    """One assessment item: a single-choice question tied to one objective, in one form.

    Attributes
    ----------
    key : str
        Unique in the bank (``"04_manifest_rewrite"``); the question's key in the
        pre- or post-test, ``"recall_" + key`` in a stage notebook.
    objective : str
        ``"NN.k"``, a key of :data:`OBJECTIVES`.
    form : {"A", "B", "R"}
    task : {"predict", "explain", "choose", "spot the flaw"}
        What the item asks the learner to do (none asks to recall a number).
    prompt, options, correct, hints, explanation
        As for :class:`~lifecycle_kit.course.exercises.ChoiceQuestion`; every
        wrong option has its own hint.
    """

    key: str
    objective: str
    form: str
    task: str
    prompt: str
    options: dict[str, str] = field(hash=False)
    correct: str
    hints: dict[str, str] = field(hash=False)
    explanation: str

    @property
    def stage(self) -> int:
        """The number of the stage (1-10, 11 for the capstone) whose objective the item tests."""
        return int(self.objective.split(".", 1)[0])

    @property
    def notebook(self) -> str:
        """The notebook whose Orientation names the item's objective."""
        return objective_notebook(self.objective)


ITEMS = (
    # --- 1. Idea conception --------------------------------------------------------------------------------------
    Item("01_identifier_leak", "01.4", "A", "choose",
         N_("A relevance screen of candidate features for a loan-default model shows `application_no` with a mutual "
            "information far above every other feature and far above the shuffled-target chance level. What should "
            "you do before keeping it?"),
         {"a": N_("Keep it: the feature with the most information about the label is the one the model most needs."),
          "b": N_("Find out how the numbers were assigned: an identifier should carry no information about the "
                  "label."),
          "c": N_("Drop the other features instead: next to such a strong feature they only add noise to the final "
                  "model."),
          "d": N_("Ignore the screen for this column: mutual information is not meaningful for identifier columns.")},
         "b",
         {"a": N_("Information that high from a number given to each application is suspicious: was it assigned "
                  "knowing the outcome?"),
          "c": N_("The others carry moderate, plausible information; the outlier is the one to question."),
          "d": N_("It is meaningful, and here it is exactly what flags the identifier: a value far above the chance "
                  "level.")},
         N_("An identifier carries information about the label only if it was assigned with knowledge of it (numbers "
            "given after sorting by outcome, say). A model would learn the numbering, look excellent in testing and "
            "fail on new applications: near-perfect information calls for suspicion.")),
    Item("01_after_the_fact_leak", "01.4", "B", "choose",
         N_("In a screen of candidate features for predicting hospital readmission, `follow_up_code`, entered by the "
            "clinic at the follow-up visit 30 days after discharge, has almost perfect mutual information with the "
            "label; the clinical measurements carry moderate information. Which reading is right?"),
         {"a": N_("The code is recorded after the outcome is known and will not exist at discharge: suspect a leak."),
          "b": N_("It is the strongest predictor: keep it, and drop the clinical measurements that add little."),
          "c": N_("The measurements must be recorded badly: real clinical features should score about as high as "
                  "this one."),
          "d": N_("Nothing yet: whether a feature leaks can only be judged once a model has been trained on it.")},
         "a",
         {"b": N_("Ask when the value is recorded: at discharge, when the model is used, does the follow-up code "
                  "exist yet?"),
          "c": N_("Moderate information is what real predictors usually show; near-perfect information is the "
                  "anomaly."),
          "d": N_("The screen is meant to raise this suspicion before any model exists; when the value is recorded "
                  "already tells you enough to act.")},
         N_("A value recorded after the outcome is known carries the outcome itself. In testing it makes the model "
            "look near perfect; in use it is missing or arrives too late. Near-perfect information before any model "
            "is trained is the signal to check when and how a value is produced.")),
    Item("01_registry_gap", "01.2", "R", "predict",
         N_("A source registry requires a minimum trust of 'trusted'. Diagnosis labels come from one source only, "
            "whose trust is recorded as 'unknown'; the tumour measurements come from a 'verified' source. What does "
            "the registry report?"),
         {"a": N_("Nothing: every data need has at least one source registered, so the plan is complete."),
          "b": N_("The diagnosis labels have no trusted source: verify theirs, or find another, before using it."),
          "c": N_("The tumour measurements are uncovered: their source is 'verified', not the required 'trusted'."),
          "d": N_("Both are covered: a trust level that was never assessed counts as trusted until proven "
                  "otherwise.")},
         "b",
         {"a": N_("Having a source is not enough: count only sources at least as trusted as the minimum."),
          "c": N_("A source above the minimum covers its needs: the minimum is a floor, not an exact level."),
          "d": N_("The registry does the opposite: a source of unknown trust is not trusted until it is checked.")},
         N_("A need counts as covered only by a source at least as trusted as the minimum. A source of unknown trust "
            "is the easiest way in for an attacker, so the registry shows the labels as uncovered until their source "
            "is verified.")),
    Item("01_chance_level", "01.3", "R", "explain",
         N_("A column of pure random noise gets a small positive mutual information with the label in the relevance "
            "screen. Why does the screen compare every feature with a chance level computed on shuffled targets?"),
         {"a": N_("Because the estimate is above zero even for unrelated features; shuffling shows what chance "
                  "alone gives."),
          "b": N_("Because shuffling the target removes leaks from the data before the model is trained on it."),
          "c": N_("Because the noise column shows that the estimator is biased, and the shuffled score corrects "
                  "every value."),
          "d": N_("Because any feature that scores below the chance level must be a leak and has to be removed.")},
         "a",
         {"b": N_("The shuffling is done on a copy, to measure chance; it does not change the data the model will "
                  "use."),
          "c": N_("A small positive estimate for noise is expected from a finite sample; the estimator is fine."),
          "d": N_("A leak stands far above the chance level; features near or below it carry no usable "
                  "information.")},
         N_("On a finite sample, the mutual information estimated for an unrelated feature is rarely exactly zero. "
            "Shuffling the target breaks any real relation, so the scores on shuffled targets show how high chance "
            "alone goes; a feature is relevant only clearly above that level.")),

    # --- 2. Business requirements ---------------------------------------------------------------------------------
    Item("02_tight_ranges_many_columns", "02.3", "A", "predict",
         N_("A specification sets the range of each of 10 independent numeric columns to the 1st-99th percentiles of "
            "the reference data. A clean batch of 1,000 rows from the same source is checked. What do you expect?"),
         {"a": N_("No violations: the batch is clean, and a specification only flags values that are wrong."),
          "b": N_("About {share:.0%} of the rows violate a range, the share each range leaves out by construction.",
                  share=_OUT_PER_COLUMN),
          "c": N_("Roughly one row in six is flagged, and every one of those flags is a false alarm."),
          "d": N_("Only the rows with errors are flagged, since the ranges came from the same source's data.")},
         "c",
         {"a": N_("By construction about {share:.0%} of clean values fall outside a 1st-99th percentile range, in "
                  "every column.", share=_OUT_PER_COLUMN),
          "b": N_("That is the share per column; a row is flagged if any of its ten columns is out of range."),
          "d": N_("The batch has no errors, yet its normal extremes fall outside ranges cut at the 1st and 99th "
                  "percentiles.")},
         N_("Each range leaves out about {share:.0%} of clean values. With ten independent columns, a row passes only "
            "if all ten are inside: {kept} to the power 10 is about {passed}, so about {flagged:.0%} of clean rows "
            "raise a false alarm. Ranges must leave room for the data's normal extremes.", share=_OUT_PER_COLUMN,
            kept=round(1 - _OUT_PER_COLUMN, 2), passed=round((1 - _OUT_PER_COLUMN) ** 10, 2),
            flagged=1 - (1 - _OUT_PER_COLUMN) ** 10)),
    Item("02_tight_range_one_column", "02.3", "B", "predict",
         N_("To catch more errors, a colleague narrows the range of `age` in the specification from the reference "
            "minimum and maximum to its 5th and 95th percentiles. Batches keep coming from the same population. What "
            "happens?"),
         {"a": N_("About one clean row in ten is flagged, while a wrong age inside the range still passes."),
          "b": N_("Nothing changes for clean batches: only wrong ages fall outside the narrowed range."),
          "c": N_("Every error in age is now caught, at the cost of a few extra checks per batch."),
          "d": N_("Fewer rows are flagged, because percentiles are more robust to outliers than the min and max.")},
         "a",
         {"b": N_("By construction, {share:.0%} of the reference's own ages lie outside its 5th-95th percentiles.",
                  share=0.1),
          "c": N_("A wrong age inside the narrowed range (35 recorded as 53) still passes any range check."),
          "d": N_("Percentiles cut the range; a narrower range flags more rows, not fewer.")},
         N_("Cutting a range at the 5th and 95th percentiles leaves {share:.0%} of clean values outside it by "
            "construction, so alarms rise on clean data. A range check sees only values beyond its limits; errors "
            "inside stay invisible. Tight ranges trade a few caught errors for many false alarms.", share=0.1)),
    Item("02_format_violation", "02.2", "R", "explain",
         N_("A new batch's `date` column passes the kind check, yet the specification reports a violation for it. The "
            "reference wrote dates as 2026-03-01; the new supplier writes 01/03/2026. Which rule reports it, and why "
            "does it matter?"),
         {"a": N_("The format rule: the values no longer match the reference pattern, and 01/03 is ambiguous."),
          "b": N_("The range rule: dates written this way sort after the reference period and fall outside it."),
          "c": N_("The completeness rule: dates the parser cannot read are counted as missing values."),
          "d": N_("No rule: a date format is a matter of presentation, and the specification does not check it.")},
         "a",
         {"b": N_("The dates are from the same period; what changed is how they are written."),
          "c": N_("Every value is present; it is written differently."),
          "d": N_("The specification records how text values are written (a pattern); a new way of writing them is a "
                  "violation.")},
         N_("A specification records how values are written (a pattern), not only their kind and range. A new date "
            "format passes as text but is ambiguous: 01/03 could be 1 March or 3 January, which would silently "
            "corrupt every date downstream.")),
    Item("02_public_data_integrity", "02.4", "R", "spot the flaw",
         N_("A team trains on a public open dataset and says: 'The data is public and holds no secrets, so it needs no "
            "security requirements.' What is wrong with this?"),
         {"a": N_("Nothing: security requirements protect secrets, and public data has none to protect."),
          "b": N_("Integrity and availability still matter: an altered copy poisons the model, a lost one stops it."),
          "c": N_("The data must be encrypted before training, so that nobody can read it on the way."),
          "d": N_("Public data cannot be used for training at all without a security review of its authors and "
                  "their servers.")},
         "b",
         {"a": N_("Confidentiality is one of three properties; the other two still apply to public data."),
          "c": N_("Encryption protects confidentiality, which is not at stake here; it does not stop whoever alters "
                  "the data before it is encrypted."),
          "d": N_("Public data can be used under its licence; the question is what must still be protected.")},
         N_("Confidentiality may not matter for public data, but integrity does: a changed copy (poisoned rows, a "
            "swapped file) changes the model. Availability does too: a system that depends on data it cannot get "
            "stops. Record digests and keep a trusted copy.")),

    # --- 3. Data planning -----------------------------------------------------------------------------------------
    Item("03_collapse_tails", "03.2", "A", "predict",
         N_("A generative model is refitted, generation after generation, only on samples drawn from the previous "
            "generation's model. What happens to the distribution it produces?"),
         {"a": N_("Its spread shrinks and its tails vanish: rare values go unsampled and never come back."),
          "b": N_("It stays the same on average, because each refit is an unbiased estimate of the last model."),
          "c": N_("Its tails grow heavier, because the errors of successive fits add up in the extremes."),
          "d": N_("Only its mean drifts, like a random walk, while its spread is preserved by each refit.")},
         "a",
         {"b": N_("Each refit is unbiased on average, but its errors accumulate, and a rare value once lost is never "
                  "sampled again."),
          "c": N_("Rare values are the ones a small sample misses; once missed, the next model cannot produce them."),
          "d": N_("Watch the spread too: the refitted spread shrinks in most runs.")},
         N_("Each generation sees only a finite sample of the previous model. Rare values are the first to go "
            "unsampled, and a model that never saw them cannot generate them: the tails thin out and the spread "
            "shrinks, generation after generation. This is model collapse.")),
    Item("03_collapse_gaussian", "03.2", "B", "predict",
         N_("A normal distribution is fitted to 50 points; 50 points are sampled from the fit, and the next normal "
            "distribution is fitted to them only; this is repeated for 500 generations. What do you expect of the "
            "fitted standard deviation in a typical run?"),
         {"a": N_("It stays close to the original, because each fit is unbiased."),
          "b": N_("It drifts towards zero: the distribution collapses."),
          "c": N_("It grows without bound."),
          "d": N_("It oscillates around the original forever.")},
         "b",
         {"a": N_("Small errors compound over 500 refits, and in a typical run they push the spread down."),
          "c": N_("A few runs wander upwards for a while, but the typical (median) run loses its spread."),
          "d": N_("Nothing pulls it back to the original: each generation knows only the previous one.")},
         N_("Each generation estimates the spread from a small sample of the previous fit, so the errors multiply "
            "from one generation to the next; in most runs the product drifts downwards, and the typical run loses "
            "its spread and collapses. Only fresh real data anchors it.")),
    Item("03_mean_hides_collapse", "03.3", "R", "explain",
         N_("Over 100 simulated runs of refitting, the average standard deviation at generation 500 is still close to "
            "the original, yet the course looks at the median and the tail mass. Why?"),
         {"a": N_("A few runs that spread out pull the average up; the median shows the typical run, which "
                  "collapsed."),
          "b": N_("The median is more precise than the mean, so it agrees with it but with a smaller error bar."),
          "c": N_("The average over so many runs proves there is no collapse; the median is shown only for "
                  "completeness."),
          "d": N_("The tail mass counts the runs that collapsed, so it describes the runs, not the distribution.")},
         "a",
         {"b": N_("Here they disagree: think about what a few extreme runs do to an average."),
          "c": N_("An average over runs can stay flat while most runs collapse."),
          "d": N_("The tail mass is the share of the distribution beyond the original's far quantiles: it shows the "
                  "rare values being lost.")},
         N_("Across runs, the spread becomes very skewed: most runs shrink, a few wander upwards. A mean over runs is "
            "dominated by the few; the median shows the typical run, and the tail mass shows the rare values "
            "disappearing.")),
    Item("03_weights_rank", "03.1", "R", "choose",
         N_("Candidate dataset X is more complete; candidate Y has more accurate labels. For a medical screening task "
            "in which a wrong label can send a sick patient home, which change of the weights makes the choice "
            "follow the risk?"),
         {"a": N_("Raise the weight of accuracy relative to completeness: Y can then rank first."),
          "b": N_("Give every characteristic the same weight: that is the objective choice."),
          "c": N_("Raise the weight of completeness: more rows make screening safer."),
          "d": N_("None: a dataset that is better overall stays the better one whatever weights the task uses.")},
         "a",
         {"b": N_("Equal weights are a choice too, and here they ignore what the task risks."),
          "c": N_("Rows with wrong labels teach the wrong answer; for this task label accuracy carries the risk."),
          "d": N_("In the lab two datasets swap rank as the weights move: which is best depends on them.")},
         N_("A weighted score ranks candidate datasets by the quality characteristics the task cares about. When "
            "wrong labels are the costly failure, accuracy deserves the larger weight, and the ranking can change "
            "because of it: no dataset is best independently of the task.")),

    # --- 4. Data acquisition --------------------------------------------------------------------------------------
    Item("04_manifest_rewrite", "04.2", "A", "choose",
         N_("An attacker can write to the shared folder that holds both the data files and their MANIFEST.json of "
            "SHA-256 digests. They replace one data file. What makes the change detectable?"),
         {"a": N_("Recomputing every file's SHA-256 before use and comparing it with MANIFEST.json."),
          "b": N_("A signature of the manifest by a key the attacker lacks, checked with a public key got "
                  "separately."),
          "c": N_("A longer hash function, such as SHA-512, so that a forged file can no longer match the recorded "
                  "digest."),
          "d": N_("Recording each file's size and modification time in the manifest beside its digest.")},
         "b",
         {"a": N_("The attacker can rewrite MANIFEST.json with the new file's digest, and then the digests match."),
          "c": N_("A stronger hash does not help when the attacker can rewrite the manifest that holds it."),
          "d": N_("Sizes and times are as easy to rewrite as digests, and as easy to fake on the file.")},
         N_("A digest proves that a file matches the manifest, not who wrote the manifest. An attacker who can write "
            "both rewrites both. A signature binds the manifest to a private key; without it, the attacker cannot "
            "make a new manifest verify under the public key the users already trust.")),
    Item("04_digest_beside_file", "04.2", "B", "spot the flaw",
         N_("A project publishes data.csv and data.csv.sha256 side by side on the same server, and says: 'Users check "
            "the digest before use, so tampering on the server will be caught.' What is the flaw?"),
         {"a": N_("SHA-256 is too weak for this: an attacker with enough computing power can craft a different file "
                  "with the same digest."),
          "b": N_("Whoever can replace data.csv can replace data.csv.sha256 too: the digest needs another channel "
                  "or a signature."),
          "c": N_("Users should compute the digest twice, with two tools, to rule out a faulty computation."),
          "d": N_("There is none: a digest mismatch always reveals tampering, wherever the digest is kept.")},
         "b",
         {"a": N_("SHA-256 is fine; the problem is where the digest comes from."),
          "c": N_("Recomputing gives the same value; it cannot tell who published it."),
          "d": N_("Only if the attacker could not also change the published digest.")},
         N_("A digest next to its file protects against accidents (a broken download), not against someone who "
            "controls the server: that person publishes a new file with its new digest. A signature with a key "
            "obtained out of band, or a digest delivered by a channel the attacker does not control, closes the "
            "gap.")),
    Item("04_backdoor_clean_accuracy", "04.4", "R", "explain",
         N_("A model trained on data in which {rate:.0%} of the rows carry a small trigger pattern and the label 'cat' "
            "reaches {accuracy:.0%} clean test accuracy, the same as a model trained without those rows. What does "
            "that tell you about the backdoor?", rate=0.03, accuracy=0.99),
         {"a": N_("Nothing: clean accuracy never sees the trigger; measure attack success on triggered inputs."),
          "b": N_("The backdoor failed: an attack that worked would have lowered clean accuracy."),
          "c": N_("A backdoor works only if clean accuracy drops by at least {rate:.0%}, the share of rows that "
                  "were poisoned.", rate=0.03),
          "d": N_("The model must be retrained on more data, which dilutes the poisoned rows below harm.")},
         "a",
         {"b": N_("A backdoor is designed to leave clean accuracy alone; that is why it goes unnoticed."),
          "c": N_("The trigger rows teach a rule that fires only on the trigger; clean inputs are not affected."),
          "d": N_("First find out whether it is there: measure the attack success on test inputs with the trigger "
                  "added.")},
         N_("A backdoor teaches the model an extra rule (trigger means 'cat') that clean test inputs never exercise, "
            "so clean accuracy stays where it was. Only inputs that carry the trigger reveal it: the attack success "
            "is the share of them sent to the target label.")),
    Item("04_targeted_flip", "04.3", "R", "predict",
         N_("Two attacks each flip {rate:.0%} of the training labels: one at random, the other only from 'fraud' to "
            "'legitimate'. Which statement is right?", rate=0.05),
         {"a": N_("They do the same harm: the same number of labels is flipped."),
          "b": N_("The targeted one barely moves overall accuracy but sharply lowers the recall of fraud."),
          "c": N_("The random attack is worse for fraud detection, because it touches every class."),
          "d": N_("Overall accuracy reveals both attacks equally well.")},
         "b",
         {"a": N_("Look at where the flips land: the targeted ones all hit one class."),
          "c": N_("Random flips spread thin; targeted flips concentrate on the class the attacker wants to hide."),
          "d": N_("Fraud is rare, so a model that misses more fraud loses little overall accuracy.")},
         N_("Random flips add noise everywhere, and a model averages much of it away. Targeted flips teach the model "
            "that fraud looks legitimate; because fraud is a small class, overall accuracy hardly changes while the "
            "recall of fraud drops. Measure per-class recall, not only accuracy.")),

    # --- 5. Data preparation --------------------------------------------------------------------------------------
    Item("05_equal_qualification", "05.2", "A", "choose",
         N_("Seven experts score a dataset's quality from 1 to 10. One of them is adversarial and scores the opposite "
            "of what he believes; all seven have the same qualification. Which aggregate of the scores stays closest "
            "to the truth?"),
         {"a": N_("The mean of all seven."),
          "b": N_("The median."),
          "c": N_("The qualification-weighted mean."),
          "d": N_("The highest score, since experts rarely overrate.")},
         "b",
         {"a": N_("One extreme score pulls the mean by a seventh of its distance."),
          "c": N_("With equal qualifications it is the plain mean, pulled by the adversary."),
          "d": N_("An adversary can push either way, and the maximum follows any single high score.")},
         N_("The median ignores how far an extreme score lies: one adversary among seven cannot move it much. The "
            "mean, and a weighted mean with equal weights, move with every score. Qualification weighting helps only "
            "when the dishonest expert is the less qualified one.")),
    Item("05_qualified_adversary", "05.2", "B", "choose",
         N_("Seven experts score a dataset's quality from 1 to 10. One of them is adversarial, and he is the most "
            "qualified member of the panel. Which aggregate protects the result best?"),
         {"a": N_("The qualification-weighted mean, because it trusts the qualified experts."),
          "b": N_("The mean of all seven."),
          "c": N_("The median."),
          "d": N_("The score of the most qualified expert alone.")},
         "c",
         {"a": N_("It gives the adversary the largest weight: here weighting amplifies the harm."),
          "b": N_("The adversary still pulls it by a seventh of his distance."),
          "d": N_("That is the adversary's score.")},
         N_("Qualification weighting assumes that the qualified are honest; when the adversary is the most qualified, "
            "it gives him the largest say. The median does not look at weights or at how extreme a score is: one "
            "dishonest expert among seven moves it little.")),
    Item("05_near_duplicate_leak", "05.4", "R", "predict",
         N_("After a random train/test split, many test rows are near-copies of training rows (the same record with a "
            "value rounded). Predict the effect on the measured test accuracy."),
         {"a": N_("It is inflated: the model has in effect seen part of the test set, so it overstates accuracy."),
          "b": N_("It is unaffected: near-copies differ in at least one value, so they are different rows."),
          "c": N_("It is deflated: duplicated records confuse the model about which label is right."),
          "d": N_("Only training accuracy is affected, because the duplicates were all created on the training side "
                  "of the split.")},
         "a",
         {"b": N_("A model can recognise a near-copy of a row it memorised: for those rows the test is not a test."),
          "c": N_("Duplicates make the memorised answer more available, not less."),
          "d": N_("The leak is across the split: it is the test measurement that is wrong.")},
         N_("A test set measures performance on data the model has not seen. Near-duplicates across the split put "
            "training rows into the test set in disguise, so the model is rewarded for memory. Remove them (or split "
            "by group) before measuring.")),
    Item("05_disguised_missing", "05.3", "R", "spot the flaw",
         N_("Raw UCI Adult marks unknown occupations with '?'. A completeness check based on isna() reports the "
            "occupation column as {share:.0%} complete. What is wrong?", share=1.0),
         {"a": N_("Nothing: '?' is a value like any other, so the column is indeed complete."),
          "b": N_("isna() counts only NaN; '?' is a missing value in disguise, so completeness is overstated."),
          "c": N_("The check should count empty strings, which is where Adult hides its unknown occupations."),
          "d": N_("Completeness cannot be measured on text columns, only on numeric ones.")},
         "b",
         {"a": N_("'?' is a placeholder meaning 'unknown', not an occupation."),
          "c": N_("Empty strings are one disguise among several; '?', 'NA' and '-' are others."),
          "d": N_("It can: count NaN and the tokens that stand for 'unknown'.")},
         N_("A quality measure is only as good as its definition of missing. Tokens such as '?' are values to pandas "
            "but unknowns to the data's authors; counting them shows the real completeness, and the defect a model's "
            "accuracy would otherwise hide.")),

    # --- 6. Building a model --------------------------------------------------------------------------------------
    Item("06_fraud_accuracy", "06.2", "A", "choose",
         N_("A fraud detector reaches {accuracy:.0%} accuracy on a test set in which {fraud:.0%} of the transactions "
            "are fraud. What should you report to know whether it catches fraud?", accuracy=0.99, fraud=0.01),
         {"a": N_("Accuracy on a larger test set."),
          "b": N_("The recall (and precision) of the fraud class."),
          "c": N_("Training accuracy, to compare with the test."),
          "d": N_("Nothing more: {accuracy:.0%} is excellent.", accuracy=0.99)},
         "b",
         {"a": N_("More data gives a more precise {accuracy:.0%}, which a model that never says 'fraud' would also "
                  "reach.", accuracy=0.99),
          "c": N_("That speaks to overfitting, not to whether the rare class is caught."),
          "d": N_("Predicting 'legitimate' for every transaction scores {accuracy:.0%} here.", accuracy=0.99)},
         N_("When one class is {share:.0%} of the data, always predicting it scores {share:.0%} accuracy and catches "
            "no fraud at all. The recall of the fraud class says how much fraud is caught, and its precision how many "
            "alarms are real.", share=0.99)),
    Item("06_screening_claim", "06.2", "B", "spot the flaw",
         N_("A report says: 'The model's accuracy is 0.97 on a test set in which {healthy:.0%} of the patients are "
            "healthy, so it detects the disease well.' What is the flaw?", healthy=0.96),
         {"a": N_("0.97 is too low for medicine: a screening model must reach 0.99 before any claim."),
          "b": N_("Calling everyone healthy scores 0.96; the claim needs the disease class's recall."),
          "c": N_("The test set is too small to measure an accuracy of 0.97 with any confidence."),
          "d": N_("There is none: 0.97 is above the {healthy:.0%} of healthy patients, so the model adds skill.",
                  healthy=0.96)},
         "b",
         {"a": N_("The number is not the problem; what it measures is."),
          "c": N_("Its size is not given; the flaw is in reasoning from accuracy."),
          "d": N_("One point above the always-healthy baseline can hide that most sick patients are missed.")},
         N_("With {healthy:.0%} healthy patients, accuracy starts at 0.96 for a model that never detects the "
            "disease. Whether the disease is detected is measured by the recall (sensitivity) of the disease class, "
            "reported per class.", healthy=0.96)),
    Item("06_gate_refusal", "06.1", "R", "choose",
         N_("The quality gate refuses to train, giving the reason 'Com-ML-1 completeness 0.91 below the threshold "
            "0.95'. What is the right next step?"),
         {"a": N_("Lower the threshold to 0.90 for this dataset, since 0.91 is close enough to 0.95."),
          "b": N_("Train anyway and judge the model by its test accuracy, which is what finally matters."),
          "c": N_("Find the missing values, fix or impute them in preparation, and run the gate again."),
          "d": N_("Remove the completeness measure from the gate, since the model can handle missing values.")},
         "c",
         {"a": N_("A threshold changed to let bad data through defeats the gate; changing one needs a reason, "
                  "recorded."),
          "b": N_("Accuracy can hide a data defect; the gate exists to stop that before training."),
          "d": N_("That removes the check, not the defect.")},
         N_("A gate's reason names the measure, its value and its threshold, so the defect can be traced to its "
            "columns and fixed before training. Bending the gate to let bad data through is the failure it is there "
            "to prevent.")),
    Item("06_defence_tradeoff", "06.3", "R", "predict",
         N_("A label-noise filter flags suspected poisoned rows for removal. You lower its threshold so that it flags "
            "more rows. What do you expect?"),
         {"a": N_("It catches more poisoned rows and flags more clean ones: recall up, precision usually down."),
          "b": N_("It catches every poisoned row at no cost, since clean rows never look like label noise."),
          "c": N_("Precision and recall both rise, because the filter now sees more of the suspicious rows at once."),
          "d": N_("Nothing changes: the threshold only scales the scores, not which rows come out on top.")},
         "a",
         {"b": N_("Clean but unusual rows look like noise too; they get flagged as well."),
          "c": N_("The rows a lower threshold adds are the less suspicious ones, and more of them are clean: precision "
                  "usually falls."),
          "d": N_("The threshold decides how suspicious a row must be to be flagged.")},
         N_("Every filter ranks rows by suspicion and cuts at a threshold. Moving the cut trades recall (poison "
            "caught) against precision (flags that really are poison): clean but unusual rows look like noise, so no "
            "setting catches everything without removing good data.")),

    # --- 7. System deployment -------------------------------------------------------------------------------------
    Item("07_fahrenheit", "07.2", "A", "choose",
         N_("After a release, the serving pipeline sends temperatures in Fahrenheit instead of Celsius. Every value "
            "still lies inside the specification's range of -40 to 120. Which check catches the bug?"),
         {"a": N_("The specification's range check, since Fahrenheit values are larger than the Celsius ones it "
                  "expects."),
          "b": N_("Comparing the batch's distribution with the training reference (PSI or Wasserstein distance)."),
          "c": N_("The kind check, since a change of unit changes what kind of value the column holds."),
          "d": N_("None: a change of unit cannot be seen in the data without the sensor's documentation.")},
         "b",
         {"a": N_("Every value is inside the range: the range check passes."),
          "c": N_("They are numbers, so the kind check passes too."),
          "d": N_("Each value is plausible, but the batch's distribution has moved far from the reference.")},
         N_("A specification checks each value on its own: a number in range passes. A unit bug moves the whole "
            "distribution while every single value stays plausible, so a test that compares the batch's distribution "
            "with the training reference (PSI, Wasserstein distance, a domain classifier) catches it.")),
    Item("07_thousands", "07.2", "B", "predict",
         N_("A pipeline change sends income in thousands (52) instead of units (52,000). The specification only says "
            "that income is a non-negative number. Which checks fire?"),
         {"a": N_("The specification passes it; a distribution test against the training reference fires."),
          "b": N_("The specification flags every row, because incomes of 52 are implausibly low."),
          "c": N_("No check can fire until the model's accuracy drops and the labels show it."),
          "d": N_("Only a domain expert reading the rows can see it; automated checks see valid numbers.")},
         "a",
         {"b": N_("52 is a non-negative number: it satisfies the specification."),
          "c": N_("The inputs' distribution moved by a factor of 1000: a test on the inputs sees it before any label "
                  "arrives."),
          "d": N_("A distribution test or a domain classifier separates the new batch from the reference "
                  "automatically.")},
         N_("Each value is valid by the specification, which checks values one at a time. Against the training "
            "reference, the income distribution has shifted by a factor of a thousand: PSI, the Wasserstein distance "
            "and a domain classifier all flag it before any label arrives.")),
    Item("07_new_sensor", "07.4", "R", "choose",
         N_("Next week the field sensors will be replaced by a new model. Which checks belong in the deployment plan "
            "before the switch?"),
         {"a": N_("None: the model has not changed, so its validation from the last release still holds."),
          "b": N_("Check a batch from the new sensors with the specification and distribution tests, and validate "
                  "the model on it."),
          "c": N_("Retrain the model on the old sensors' data once more, so that it is fresh for the switch."),
          "d": N_("Switch on schedule, and watch for complaints from users and operators: any real problem will "
                  "show up in them quickly.")},
         "b",
         {"a": N_("The model is the same, but its inputs will be produced differently."),
          "c": N_("Retraining on old data cannot tell you how the new sensors' data differ."),
          "d": N_("Silent failures (a shifted scale, a different unit) bring no complaints, only wrong answers.")},
         N_("A change in how inputs are produced can bring unit, scale or format differences that pass silently. "
            "Checking a batch from the new source against the specification and the training reference, and "
            "validating the model on it, catches them before the switch.")),
    Item("07_spec_catches", "07.1", "R", "choose",
         N_("Which of these serving bugs does the stage-2 data specification catch on its own?"),
         {"a": N_("A numeric column that now arrives as text with a decimal comma, such as '12,5'."),
          "b": N_("Temperatures sent in Fahrenheit that stay within the allowed range."),
          "c": N_("Two features swapped that have the same kind and similar ranges."),
          "d": N_("A model whose accuracy has fallen since the release, for any reason in the inputs.")},
         "a",
         {"b": N_("Each value is a number in range: the specification passes it."),
          "c": N_("Values of the right kind in range pass; only a distribution test or a domain classifier notices."),
          "d": N_("The specification checks the data, not the model's results.")},
         N_("A specification checks kinds, ranges, categories and formats value by value, so it catches text where "
            "numbers belong, values out of range and unknown categories. Bugs that keep every value plausible need "
            "distribution tests.")),

    # --- 8. System operation --------------------------------------------------------------------------------------
    Item("08_concept_drift", "08.1", "A", "choose",
         N_("Fraudsters change tactics: transactions that look exactly like last year's legitimate ones are now "
            "fraud, while the distribution of the inputs stays the same. What can detect this?"),
         {"a": N_("Two-sample tests on every input feature."),
          "b": N_("A detector on the stream of the model's errors, once labels arrive."),
          "c": N_("Nothing: if the inputs do not change, the model cannot get worse."),
          "d": N_("A test on the model's predicted labels alone.")},
         "b",
         {"a": N_("The inputs' distribution has not moved: input tests see nothing."),
          "c": N_("The relation between inputs and label changed: the same inputs now mean something else."),
          "d": N_("For the same inputs the model predicts the same labels as before: its predictions do not move.")},
         N_("This is concept drift: the relation between inputs and label changes while the inputs' distribution does "
            "not. Tests on the inputs, and on predictions that depend only on them, cannot see it; the model's "
            "errors can, once true labels arrive (Page–Hinkley, DDM, ADWIN on the error stream).")),
    Item("08_inputs_unchanged", "08.1", "B", "spot the flaw",
         N_("A monitoring note says: 'Two-sample tests on every input feature show no drift this quarter, so the "
            "model's accuracy has not changed.' What is the flaw?"),
         {"a": N_("The tests should run on a smaller sample, where they are less sensitive to noise."),
          "b": N_("Concept drift changes the input-label relation without moving the inputs; only the errors show "
                  "it."),
          "c": N_("There is none: a model's accuracy can only change if the distribution of its inputs does."),
          "d": N_("Input tests detect only prior drift, so a change in the inputs themselves would go unseen by "
                  "them anyway.")},
         "b",
         {"a": N_("The sample size changes what is significant, not which kind of drift is visible."),
          "c": N_("The same inputs can come to mean a different label; the inputs then look the same."),
          "d": N_("They detect changes in the inputs (covariate drift); prior drift is a change in the label's "
                  "distribution.")},
         N_("Input tests see covariate drift. Concept drift, a change in the relation between inputs and label, leaves "
            "the inputs as they were, so the note's conclusion does not follow; it needs a check of the model's "
            "errors once labels are known.")),
    Item("08_large_sample", "08.3", "R", "choose",
         N_("On a million rows, a KS test finds a shift in mean temperature of 0.01 °C with a p-value below "
            "0.0000000001. Should the model be retrained?"),
         {"a": N_("Yes: a p-value that small means the drift is almost certainly serious for the model."),
          "b": N_("Not on this evidence: the shift is significant but tiny; decide by an effect size and a "
                  "threshold."),
          "c": N_("No: a KS test is not valid on temperatures, which are not normally distributed."),
          "d": N_("Yes, because any drift that a test detects means the model's training data is already out of "
                  "date.")},
         "b",
         {"a": N_("With a million rows even a negligible shift is significant; a p-value does not measure size."),
          "c": N_("A KS test works on any numeric column; the question is what its result means."),
          "d": N_("Retraining costs effort and carries its own risks; act on drift large enough to matter.")},
         N_("A p-value says how surprising a difference is, and on a huge sample every difference is surprising. "
            "Whether to act depends on how large the shift is: an effect size compared with a threshold chosen for "
            "the task.")),
    Item("08_detector_threshold", "08.2", "R", "predict",
         N_("You lower the threshold of a Page–Hinkley detector on the error stream. Predict what changes."),
         {"a": N_("Real drift is caught sooner, and stable stretches raise more false alarms."),
          "b": N_("Real drift is caught sooner, and nothing else changes on stable stretches."),
          "c": N_("False alarms become rarer while real drift is caught sooner than before."),
          "d": N_("Nothing: the detector adapts its threshold to the stream's noise by itself.")},
         "a",
         {"b": N_("A detector that fires on smaller changes also fires on noise."),
          "c": N_("Both cannot improve together: the threshold trades one for the other."),
          "d": N_("Page–Hinkley compares its cumulative statistic with the threshold you set.")},
         N_("A detector fires when its statistic crosses the threshold. A lower threshold is crossed sooner by real "
            "drift and also by ordinary noise: the detection delay falls while false alarms rise. The setting is a "
            "trade-off chosen by the cost of each.")),

    # --- 9. Data decommissioning ----------------------------------------------------------------------------------
    Item("09_shredding_copies", "09.4", "A", "predict",
         N_("A table encrypted under one key was copied to a backup tape (still encrypted) and also exported once, "
            "decrypted, to an analyst's CSV file. The key is destroyed. What is destroyed?"),
         {"a": N_("Every copy, the CSV file included, since all of them came from the encrypted table."),
          "b": N_("The table and the tape become unreadable; the decrypted CSV file is untouched."),
          "c": N_("Only the table on the main server; the backup tape was encrypted with its own key."),
          "d": N_("Nothing yet: the encrypted bytes are still on disk until they are overwritten.")},
         "b",
         {"a": N_("The CSV file is plain text: no key is needed to read it."),
          "c": N_("The tape holds the same ciphertext under the same key: destroying the key makes it unreadable "
                  "too."),
          "d": N_("Without the key the ciphertext cannot be turned back into data: that is the point of "
                  "crypto-shredding.")},
         N_("Crypto-shredding destroys data by destroying its key: every copy encrypted under that key, backups "
            "included, becomes unreadable at once. A copy made in the clear is out of its reach and must be found and "
            "erased separately.")),
    Item("09_shredding_claim", "09.4", "B", "spot the flaw",
         N_("A team writes: 'We crypto-shredded the customer table by destroying its key, so the data is gone "
            "everywhere.' Before that, the table had been loaded in the clear into a feature store and used to train "
            "a model. What is the flaw?"),
         {"a": N_("Destroying a key takes longer to take effect than overwriting the data directly."),
          "b": N_("Plain copies outside the encryption, in the feature store and the model, are untouched."),
          "c": N_("There is none: destroying the key erases everything derived from the table as well."),
          "d": N_("The key should have been encrypted with a master key instead of being destroyed.")},
         "b",
         {"a": N_("Speed is not the issue; reach is."),
          "c": N_("Only ciphertext under that key becomes unreadable; plain copies derived from it remain."),
          "d": N_("An encrypted key can be decrypted again; destruction is what makes the data unrecoverable.")},
         N_("Crypto-shredding reaches only what is encrypted under the destroyed key. Plain copies (a feature store, "
            "an export) and what a model kept of its training data remain, and need their own deletion, as the "
            "system decommissioning stage checks.")),
    Item("09_row_digests", "09.2", "R", "explain",
         N_("A signed archive's file digest no longer matches. What do row digests under a Merkle root add?"),
         {"a": N_("They locate the changed row and show that the other rows are unchanged."),
          "b": N_("They repair the changed row from the digests of its neighbours in the tree."),
          "c": N_("They replace the signature, since the Merkle root already proves who wrote the rows."),
          "d": N_("Nothing: the file's digest already says which row changed, only less directly.")},
         "a",
         {"b": N_("A digest detects and locates; it cannot restore the original value."),
          "c": N_("The Merkle root itself still needs the signature to be trusted."),
          "d": N_("A single digest of the file says only that something changed, not where.")},
         N_("A file's digest changes with any byte and says nothing about where. Hashing every row and combining the "
            "hashes in a Merkle tree lets you compare row by row and locate the change, while the signed root vouches "
            "for all the rows at once.")),

    # --- 10. System decommissioning -------------------------------------------------------------------------------
    Item("10_knn_kept", "10.2", "A", "explain",
         N_("After the training data is purged from every store, the k-nearest-neighbours model trained on it stays in "
            "production. Is the data gone?"),
         {"a": N_("Yes: a fitted model keeps only parameters learned from the data, not the data."),
          "b": N_("No: a fitted k-nearest-neighbours model keeps the training rows inside it."),
          "c": N_("Yes, once the model is retrained on the same data after the purge."),
          "d": N_("No, but only because the application logs still hold the requests it served.")},
         "b",
         {"a": N_("A k-nearest-neighbours model has no parameters apart from the data: it stores the training rows to "
                  "compare with."),
          "c": N_("Retraining on the same data stores the same rows again."),
          "d": N_("The logs may matter too, but the model itself holds the rows.")},
         N_("A k-nearest-neighbours model predicts by looking up the stored training rows, so fitting it copies the "
            "data into the model. A purge that deletes the data files but keeps the model leaves a full copy behind, "
            "which an inventory and a rescan should find.")),
    Item("10_model_holds_rows", "10.2", "B", "choose",
         N_("Which of these fitted objects keeps a copy of its training rows inside it?"),
         {"a": N_("A logistic regression, through its coefficients."),
          "b": N_("A k-nearest-neighbours classifier."),
          "c": N_("A standard scaler, through its means and standard deviations."),
          "d": N_("A SHA-256 digest of the training file.")},
         "b",
         {"a": N_("Coefficients summarise the data; they are not the rows (though a model can still leak "
                  "membership)."),
          "c": N_("Two numbers per column summarise the data; no row is kept."),
          "d": N_("A digest cannot be turned back into the data.")},
         N_("A k-nearest-neighbours classifier stores the training rows and compares every new input with them, so "
            "the fitted model is a data store and belongs in the inventory and the purge. Parametric models keep "
            "summaries, which can still leak, but not the rows.")),
    Item("10_membership_chance", "10.3", "R", "explain",
         N_("A membership-inference attack by a confidence threshold reaches an accuracy of 0.50 on a balanced set of "
            "training members and non-members. What does that mean?"),
         {"a": N_("No better than chance: the model's confidence does not reveal its training rows."),
          "b": N_("Half of the training rows have leaked through the model's confidence scores."),
          "c": N_("The model is overfitted, since it is equally confident on training members and on other records."),
          "d": N_("The attack works: any accuracy above zero means the model leaks membership.")},
         "a",
         {"b": N_("On a balanced set, guessing at random already scores 0.50."),
          "c": N_("An overfitted model is more confident on its training rows, which the attack would exploit: it "
                  "would score above 0.50."),
          "d": N_("The baseline on a balanced set is 0.50, not zero.")},
         N_("With as many members as non-members, a coin toss scores 0.50. An attack that does no better learns "
            "nothing from the model's confidence; a model that leaks (often an overfitted one) is more confident on "
            "its training rows, and the attack then scores above 0.50.")),

    # --- Capstone -------------------------------------------------------------------------------------------------
    Item("11_scale_fault", "11.5", "A", "explain",
         N_("Four agencies feed one platform. One agency's scale starts reporting weights in pounds instead of "
            "kilograms. The distribution of all weights pooled together moves only slightly. Why does the course "
            "monitor each source against its own reference?"),
         {"a": N_("A fault in one source of four is diluted in the pooled data; its own monitor sees it in full."),
          "b": N_("Because drift tests are not valid on pooled data, which mixes several distributions."),
          "c": N_("To save computation: four small monitors are cheaper than one over the whole table."),
          "d": N_("Because each agency owns its data, and may only be monitored against records it has itself "
                  "supplied.")},
         "a",
         {"b": N_("Pooled data can be tested, but there the fault is diluted: a quarter of the rows, mixed with "
                  "healthy ones."),
          "c": N_("Monitors per source cost about the same; the reason is what they can see."),
          "d": N_("Ownership matters for access, not for what a drift test can detect.")},
         N_("In pooled data the faulty source is a minority mixed with healthy ones, so the shift is diluted and no "
            "source is named. Against its own reference, the faulty source's weights move by the full factor (a "
            "pound is 0.45 kg), and the alarm says where to look.")),
    Item("11_pooled_monitor", "11.5", "B", "spot the flaw",
         N_("A platform monitors the merged table of its four sources against last year's merged table, and says: 'A "
            "fault in any one source will show.' What is the flaw?"),
         {"a": N_("The reference should be older, so that it covers a full cycle of each source's seasons."),
          "b": N_("One source's fault is diluted by the others, and a change in the mix can look like drift."),
          "c": N_("There is none: the merged table contains every row of every source, so it sees everything."),
          "d": N_("Monitoring should look at the model's predictions only, since they are what users see.")},
         "b",
         {"a": N_("The age of the reference is not the problem; the mix is."),
          "c": N_("It contains them, mixed: a quarter of the rows shifting moves the whole only a little."),
          "d": N_("Predictions mix the sources too, and depend on the model as well.")},
         N_("A merged table hides which source a change came from, dilutes a fault in one source, and drifts on its "
            "own when the share of each source changes. Monitoring each source against its own reference names the "
            "source and sees its fault in full.")),
)



def _place_correct(item: Item, letter: str) -> Item:
    """The item with its right option moved to ``letter``, the other options (and their hints) in their order."""
    keys = list(item.options)
    others = [k for k in keys if k != item.correct]
    at = keys.index(letter)
    order = [*others[:at], item.correct, *others[at:]]
    options = {new: item.options[old] for new, old in zip(keys, order)}
    hints = {new: item.hints[old] for new, old in zip(keys, order) if old != item.correct}
    return replace(item, options=options, correct=letter, hints=hints)


def _balanced(items):
    """Items with the right answer's letter cycling through the options, form by form.

    The options above are written in the order that reads best, which put the right answer on "b" in most of them;
    a learner who always picked "b" would have scored well without knowing anything. Here the right answer takes
    each letter in turn (the post-test starts two letters on, so a pair's answers differ), so position says nothing.
    """
    start = {"A": 0, "B": 2, "R": 1}
    seen = dict.fromkeys(start, 0)
    out = []
    for item in items:
        letters = list(item.options)
        out.append(_place_correct(item, letters[(start[item.form] + seen[item.form]) % len(letters)]))
        seen[item.form] += 1
    return tuple(out)


ITEMS = _balanced(ITEMS)
_BY_KEY = {item.key: item for item in ITEMS}

#: Spaced retrieval: the recall items each stage notebook opens with. Notebook NN asks about the stage just before
#: it and, from 04 on, about the stage three before it, so each earlier stage comes back after a gap.
RECALL_PLAN = {
    "02_business_requirements": ("01_registry_gap",),
    "03_data_planning": ("02_format_violation",),
    "04_data_acquisition": ("03_mean_hides_collapse", "01_chance_level"),
    "05_data_preparation": ("04_backdoor_clean_accuracy", "02_public_data_integrity"),
    "06_model_building": ("05_near_duplicate_leak", "03_weights_rank"),
    "07_system_deployment": ("06_gate_refusal", "04_targeted_flip"),
    "08_system_operation": ("07_new_sensor", "05_disguised_missing"),
    "09_data_decommissioning": ("08_large_sample", "06_defence_tradeoff"),
    "10_system_decommissioning": ("09_row_digests", "07_spec_catches"),
    "11_capstone_multi_source": ("10_membership_chance", "08_detector_threshold"),
}


def get_item(key: str) -> Item:
    """The item with this key (``"recall_"`` prefix allowed)."""
    return _BY_KEY[key.removeprefix("recall_")]


def items_of_form(form: str) -> list[Item]:
    """The items of one form (``"A"``, ``"B"`` or ``"R"``), in course order."""
    return [item for item in ITEMS if item.form == form]


def bank_frame():
    """The bank's size per stage and objective: one row per objective, with its items per form.

    Returns
    -------
    pandas.DataFrame
        Columns ``stage, notebook, objective, pre_test, post_test, recall, items``.

    >>> frame = bank_frame()
    >>> int(frame["items"].sum()) == len(ITEMS)
    True
    """
    import pandas as pd

    rows = []
    for objective in sorted(OBJECTIVES):
        mine = [item for item in ITEMS if item.objective == objective]
        if not mine:
            continue
        rows.append({"stage": int(objective[:2]), "notebook": objective_notebook(objective), "objective": objective,
                     "pre_test": sum(i.form == "A" for i in mine), "post_test": sum(i.form == "B" for i in mine),
                     "recall": sum(i.form == "R" for i in mine), "items": len(mine)})
    return pd.DataFrame(rows, columns=["stage", "notebook", "objective", "pre_test", "post_test", "recall", "items"])

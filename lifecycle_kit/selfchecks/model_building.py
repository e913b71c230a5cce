"""Self-checks of 06_model_building: the quality gate, balance, and (with the poisoning stage) defences."""

from lifecycle_kit.exercises import ChoiceQuestion


def questions():
    return {
        "predict_label_noise": ChoiceQuestion(
            "Predict before you move the slider: the gate requires label accuracy (Acc-ML-4) of at least 0.9. What "
            "happens when you raise Label noise to 0.20?",
            options={"block": "The gate blocks: its label-accuracy estimate falls below 0.9.",
                     "open_form": "The gate opens: the values are complete and unique.",
                     "open_accuracy": "The gate opens: the model still scores well."},
            correct="block",
            hints={"open_form": "The gate checks more than form: Acc-ML-4 estimates how many labels are wrong.",
                   "open_accuracy": "The gate decides on the data's measures, not on the model's accuracy — the "
                                    "accuracy the model would have had is shown only for comparison."},
            explanation="The gate estimates label accuracy with cross-validated predicted probabilities (confident "
            "learning): rows whose label the model confidently contradicts count as wrong. With 20% of the labels "
            "flipped the estimate lands near 1 - 0.20 = 0.8, below 0.9, so the gate blocks — while the accuracy the "
            "model would have had still looks acceptable. That is why accuracy is not the gate.",
        ),
        "lower_the_bar": ChoiceQuestion(
            "The gate blocks training because value completeness is 0.93 and the threshold is 0.95. The deadline is "
            "tomorrow. What should happen?",
            options={"a": "Lower the threshold to 0.93 so training can proceed.",
                     "b": "Find out where the values are missing and why, fix or document it, and re-run the gate.",
                     "c": "Train anyway and check the accuracy afterwards.",
                     "d": "Fill every missing value with 0."},
            correct="b",
            hints={"a": "Thresholds come from the requirements of the task, not from the data that happens to arrive.",
                   "c": "The gate exists because accuracy on a test set does not reveal every data defect.",
                   "d": "Zero is a value: it changes the distribution and can mean something else entirely."},
            explanation="Assessing quality before building a model is Zatsarinny and Gavrilov's advice, with the "
            "measures of ISO/IEC 5259-2; the gate's reasons say where to look. Changing the threshold to fit the data "
            "defeats its purpose: if the requirement itself was wrong, that is a decision for whoever owns the "
            "requirements, on the record.",
        ),
        "trusted_validation": ChoiceQuestion(
            "The per-source impact test scores each retrained model on a small trusted validation set, not on an "
            "ordinary test split. Why?",
            options={"same_poison": "A test split drawn from the same sources carries the same flipped labels.",
                     "bigger": "A trusted set is larger, so the scores are more precise.",
                     "logloss": "Log-loss can only be computed on trusted data."},
            correct="same_poison",
            hints={"bigger": "It is small: trust, not size, is what it adds.",
                   "logloss": "Log-loss can be computed on any labelled rows; the question is whether their labels "
                              "can be believed."},
            explanation="If the yardstick is poisoned too, a model that learned the flipped labels scores well on it "
            "and dropping the bad source looks harmful. Rows whose labels were checked independently (Zatsarinny and "
            "Gavrilov ask for an independent test set prepared by independent experts) make the comparison honest; "
            "recording the source of every row (MITRE ATLAS M0025) makes it possible at all.",
        ),
        "no_silver_bullet": ChoiceQuestion(
            "In the defence lab, which statement holds for every attack?",
            options={"a": "The label-noise filter catches every flipped label.",
                     "b": "Each defence catches part of the poisoned rows and also throws away some clean rows.",
                     "c": "Outlier removal is the best defence against label flips.",
                     "d": "Defences are unnecessary when the test accuracy looks fine."},
            correct="b",
            hints={"a": "Look at its recall at 0.4: flips that agree with each other become the majority locally.",
                   "c": "A flipped row keeps ordinary features: it is not an outlier of anything but its label.",
                   "d": "The backdoor in stage 4 kept test accuracy intact."},
            explanation="Defences are layers: integrity at acquisition, sanitisation, per-source tests, and monitoring. "
            "None recovers everything, which is why the data's provenance matters from the start.",
        ),
        "balance_and_recall": ChoiceQuestion(
            "UCI Adult's label balance (Bal-ML-1, the kit's label for a measure of ISO/IEC 5259-2's balance "
            "characteristic: smallest class over largest) is printed above, far from 1. What should you report "
            "besides overall accuracy?",
            options={"recall": "the recall of the minority class (>50K)", "nothing": "nothing: accuracy covers it",
                     "size": "only the number of rows"},
            correct="recall",
            hints={"nothing": "A model that always predicts <=50K is right three times out of four.",
                   "size": "More rows of the same imbalance do not change what accuracy hides."},
            explanation="With imbalanced labels, accuracy is dominated by the majority class; per-class recall shows "
            "whether the minority is learned at all.",
        ),
        "defence_choice": ChoiceQuestion(
            "Your training rows come from four partner agencies, each row tagged with its agency, and your own staff "
            "checked the labels of a small sample. You fear that one partner's labels were flipped wholesale. Which "
            "defence do you add first?",
            options={"impact": "Drop one agency at a time, retrain, and score on the checked sample.",
                     "outliers": "Remove feature outliers before training.",
                     "accuracy": "Raise the required test accuracy."},
            correct="impact",
            hints={"outliers": "Flipped labels leave the features ordinary: outlier removal looks at the wrong thing.",
                   "accuracy": "Stage 4 showed that poisoning can leave accuracy almost unchanged; and the test rows "
                               "may come from the same partners."},
            explanation="A whole compromised source is what the per-source impact test is built for: it needs only "
            "the source of each row and a trusted sample, both of which you have. Row-level filters then clean up "
            "what remains.",
        ),
    }

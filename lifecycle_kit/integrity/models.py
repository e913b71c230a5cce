"""Integrity of a saved model: one flipped bit in its weights file can change its decisions.

A trained model is data too: its weights are saved to a file, copied, loaded
in service. Among what an intruder can change through an unprotected system,
Zatsarinny and Gavrilov name "the law by which the ANN model functions,
including the so-called 'attack on the decisive bit'" (stage 2 of their paper;
our translation) — an existing attack they mention, not a term they define.
Attacks that flip bits of a network's stored weights are studied as bit-flip
attacks: single flips induced in memory (Rowhammer: Kim et al. 2014, "Flipping
bits in memory without accessing them") can wreck a deep network (Hong et al.
2019, "Terminal Brain Damage", USENIX Security), and a search over the weights
finds the few bits that matter (Rakin, He and Fan 2019, "Bit-Flip Attack:
Crushing Neural Network with Progressive Bit Search", ICCV).

:func:`bit_flip_scan` is the course's small experiment on that idea: it saves
the weights of a logistic regression as a ``.npy`` file (bytes), flips every
bit of the weights one at a time, loads the damaged file, and counts the test
decisions that change; it also computes the SHA-256 digest of every damaged
file, which differs from the recorded digest of the saved one — the check that
catches all of them, whether they change decisions or not.

Examples
--------
>>> import numpy as np
>>> content = weights_to_bytes(np.array([0.75, -1.5]))
>>> damaged = flip_bit(content, weight=0, bit=62)   # the top bit of the exponent
>>> float(weights_from_bytes(damaged)[0]) > 1e300
True
>>> float(abs(weights_from_bytes(flip_bit(content, weight=1, bit=0))[1] + 1.5)) < 1e-15  # the last mantissa bit
True
"""

import hashlib
import io
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lifecycle_kit._validation import check_number
from lifecycle_kit.display import Lines, Table, View, vocabulary
from lifecycle_kit.errors import LifecycleKitError
from lifecycle_kit.i18n import N_

__all__ = ["BitFlipScan", "bit_field", "bit_flip_scan", "flip_bit", "weights_from_bytes", "weights_to_bytes"]

BITS_PER_WEIGHT = 64  # float64: bit 63 the sign, bits 52-62 the exponent, bits 0-51 the mantissa

#: The parts of a float64, as a reader reads them.
FIELD_LABELS = {"sign": N_("sign"), "exponent": N_("exponent"), "mantissa": N_("mantissa"), "all": N_("all bits")}
vocabulary(headings={"field": N_("field of the number"), "bits": N_("bits"),
                     "change_decisions": N_("bits that change decisions"),
                     "most_decisions_changed": N_("most decisions changed"),
                     "caught_by_digest": N_("caught by the digest check")},
           values={"field": FIELD_LABELS})


def weights_to_bytes(weights):
    """The weights as the bytes of a ``.npy`` file (float64, no pickle)."""
    buffer = io.BytesIO()
    np.save(buffer, np.asarray(weights, dtype="<f8"), allow_pickle=False)
    return buffer.getvalue()


def weights_from_bytes(content):
    """Load weights saved by :func:`weights_to_bytes` (never unpickles)."""
    try:
        return np.load(io.BytesIO(bytes(content)), allow_pickle=False)
    except (ValueError, OSError, EOFError) as err:
        raise LifecycleKitError(f"not a weights file: {err}") from None


def bit_field(bit):
    """Which part of a float64 a bit (0 = least significant) belongs to: sign, exponent or mantissa."""
    return "sign" if bit == 63 else "exponent" if bit >= 52 else "mantissa"


def flip_bit(content, *, weight, bit):
    """A copy of a weights file with one bit of one weight inverted.

    Parameters
    ----------
    content : bytes
        A file written by :func:`weights_to_bytes`.
    weight : int
        Which weight (position in the flattened array).
    bit : int
        Which bit of that float64, 0 (least significant) to 63 (the sign).
    """
    content = bytes(content)
    n_weights = weights_from_bytes(content).size
    weight = int(check_number("weight", weight, low=0, high=n_weights - 1, integer=True))
    bit = int(check_number("bit", bit, low=0, high=BITS_PER_WEIGHT - 1, integer=True))
    header = len(content) - n_weights * 8  # the data follow the .npy header, little-endian
    position = header + weight * 8 + bit // 8
    damaged = bytearray(content)
    damaged[position] ^= 1 << (bit % 8)
    return bytes(damaged)


def _decisions(weights, X):
    with np.errstate(all="ignore"):  # a flipped exponent can make a weight inf or NaN
        scores = X @ weights[:-1] + weights[-1]
    return scores > 0  # NaN > 0 is False: a NaN score falls to class 0, as in scikit-learn's predict


@dataclass
class BitFlipScan:
    """Every single-bit flip of a saved model's weights and what it did.

    Attributes
    ----------
    flips : pandas.DataFrame
        One row per flipped bit: ``weight`` (feature name or "intercept"), ``bit``, ``field``,
        ``before``, ``after``, ``decisions_changed`` (test rows whose decision changed),
        ``accuracy`` (test accuracy of the damaged model), ``digest_changed``.
    accuracy : float
        Test accuracy of the saved (undamaged) model.
    n_test : int
    digest : str
        SHA-256 of the saved weights file.
    """

    flips: pd.DataFrame
    accuracy: float
    n_test: int
    digest: str

    @property
    def worst(self):
        """The flip that changed the most decisions (the first such bit on a tie)."""
        return self.flips.loc[self.flips["decisions_changed"].idxmax()]

    def summary(self):
        """Per field of the float: bits, how many changed at least one decision, the most changed, digests caught."""
        grouped = self.flips.groupby("field", sort=False)
        table = pd.DataFrame({"bits": grouped.size(),
                              "change_decisions": grouped["decisions_changed"].apply(lambda s: int((s > 0).sum())),
                              "most_decisions_changed": grouped["decisions_changed"].max(),
                              "caught_by_digest": grouped["digest_changed"].sum().astype(int)})
        table.loc["all"] = table.sum()
        table.loc["all", "most_decisions_changed"] = self.flips["decisions_changed"].max()
        return table.reindex(["sign", "exponent", "mantissa", "all"])

    def lines(self) -> Lines:
        """The saved model, its worst single bit, and what the digest check catches, in the reader's language."""
        worst = self.worst
        return Lines([
            N_("Saved model: accuracy {accuracy:.3f} on {n_test} test cases; SHA-256 of the weights file "
               "{digest}…", accuracy=self.accuracy, n_test=self.n_test, digest=self.digest[:16]),
            N_("Worst single bit: bit {bit} ({field}) of the weight of {weight} turns {before:.3g} into {after:.3g}: "
               "{changed} of {n_test} decisions change, accuracy {damaged:.3f}.", bit=int(worst["bit"]),
               field=FIELD_LABELS[worst["field"]], weight=worst["weight"], before=float(worst["before"]),
               after=float(worst["after"]), changed=int(worst["decisions_changed"]), n_test=self.n_test,
               damaged=float(worst["accuracy"])),
            N_("Damaged files refused by the digest check before loading: {caught} of {n}.",
               caught=int(self.flips["digest_changed"].sum()), n=len(self.flips)),
        ])

    def _repr_html_(self):
        return View(self.lines(), Table(self.summary()))._repr_html_()


def bit_flip_scan(*, test_size=0.3, random_state=0):
    """Flip each bit of a breast-cancer classifier's saved weights, one at a time, and measure the damage.

    The model is a standardised logistic regression (30 weights and an intercept: 1,984 bits).

    Returns
    -------
    BitFlipScan

    Examples
    --------
    >>> result = bit_flip_scan()
    >>> int(result.summary().loc["all", "bits"]), bool(result.flips["digest_changed"].all())
    (1984, True)
    >>> bool(result.worst["decisions_changed"] > 0)
    True
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    from lifecycle_kit.datasets import load

    data = load("breast_cancer")
    X_train, X_test, y_train, y_test = train_test_split(data.frame, data.target, test_size=test_size,
                                                        stratify=data.target, random_state=random_state)
    scaler = StandardScaler().fit(X_train)
    model = LogisticRegression(max_iter=1000).fit(scaler.transform(X_train), y_train)
    positive = model.classes_[1]
    X = scaler.transform(X_test)
    truth = np.asarray(y_test) == positive
    saved = weights_to_bytes(np.append(model.coef_[0], model.intercept_[0]))
    digest = hashlib.sha256(saved).hexdigest()
    weights = weights_from_bytes(saved)
    clean = _decisions(weights, X)
    names = list(data.frame.columns) + ["intercept"]
    rows = []
    for w in range(weights.size):
        for bit in range(BITS_PER_WEIGHT):
            damaged = flip_bit(saved, weight=w, bit=bit)
            loaded = weights_from_bytes(damaged)  # what the service would load
            decisions = _decisions(loaded, X)
            rows.append({"weight": names[w], "bit": bit, "field": bit_field(bit), "before": float(weights[w]),
                         "after": float(loaded[w]), "decisions_changed": int((decisions != clean).sum()),
                         "accuracy": float((decisions == truth).mean()),
                         "digest_changed": hashlib.sha256(damaged).hexdigest() != digest})
    return BitFlipScan(flips=pd.DataFrame(rows), accuracy=float((clean == truth).mean()), n_test=len(truth),
                        digest=digest)

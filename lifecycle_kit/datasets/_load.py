"""Loading carried and bundled datasets, verifying every byte against its card."""

from __future__ import annotations

import copy
import gzip
import hashlib
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lifecycle_kit.datasets._cards import CARDS
from lifecycle_kit.errors import IntegrityError, LifecycleKitError
from lifecycle_kit.i18n import N_, _

if TYPE_CHECKING:
    import pandas as pd

DATA_ENV = "LIFECYCLE_KIT_DATA"


@dataclass
class Dataset:
    """A loaded dataset: features, target, and the card that says where it came from.

    Attributes
    ----------
    name : str
        Registry name (``"adult"``).
    frame : pandas.DataFrame
        The features (every column except the target).
    target : pandas.Series or None
        The label or value to predict.
    card : dict
        Provenance: title, licence, source, citation, files with SHA-256 digests.
    meta : pandas.DataFrame
        Facts about each row that are not features (``source_file``: which file it came from).
    """

    name: str
    frame: pd.DataFrame
    target: pd.Series | None
    card: dict[str, Any]
    meta: pd.DataFrame | None = field(default=None, repr=False)

    def __repr__(self):
        return (
            f"Dataset({self.name!r}, rows={len(self.frame)}, columns={self.frame.shape[1]}, "
            f"target={self.card['target']!r}, licence={self.card['licence']!r})"
        )

    @property
    def citation(self):
        return self.card["citation"]


def find_data_dir() -> Path:
    """Folder holding the carried data files.

    ``$LIFECYCLE_KIT_DATA`` wins when set; then the copy inside an installed
    wheel; then the repository's ``data/`` folder for an editable checkout.
    Never the current working directory: notebooks run from anywhere.
    """
    env = os.environ.get(DATA_ENV)
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "_data", here.parent / "data"):
        if (candidate / "MANIFEST.json").is_file():
            return candidate
    raise LifecycleKitError(_(
        "cannot find the kit's data folder (looked for lifecycle_kit/_data and data/ next to the package); "
        "reinstall the kit or set {variable} to the folder holding MANIFEST.json", variable=DATA_ENV))


def sklearn_data_dir() -> Path:
    """Folder of the datasets bundled with scikit-learn (found without importing scikit-learn, which is slow)."""
    import importlib.util

    spec = importlib.util.find_spec("sklearn")
    if spec is None or not spec.submodule_search_locations:
        raise LifecycleKitError("scikit-learn is not installed; it carries the breast_cancer, digits, wine and iris files")
    return Path(list(spec.submodule_search_locations)[0]).resolve() / "datasets" / "data"


def _file_path(entry, folder):
    if folder is not None:
        return Path(folder) / entry["name"]
    if entry["location"] == "sklearn":
        return sklearn_data_dir() / entry["name"]
    return find_data_dir() / entry["name"]


def sha256_of_bytes(content):
    return hashlib.sha256(content).hexdigest()


def read_verified(entry, *, folder=None, verify=True):
    """Read one file named in a card and check its SHA-256; return its bytes.

    Raises
    ------
    IntegrityError
        Naming the file, the expected and the actual digest.
    LifecycleKitError
        If the file is missing.
    """
    path = _file_path(entry, folder)
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise LifecycleKitError(_("data file {path} is missing; the kit's data folder is incomplete",
                                  path=str(path))) from None
    if verify:
        actual = sha256_of_bytes(content)
        if actual != entry["sha256"]:
            raise IntegrityError(_(
                "data file {path} does not match its card: expected SHA-256 {expected}, got {actual}. The file was "
                "altered or replaced; restore it from a trusted copy.", path=str(path), expected=entry["sha256"],
                actual=actual))
    return content


def _csv(content, **kwargs):
    import pandas as pd

    if content[:2] == b"\x1f\x8b":
        content = gzip.decompress(content)
    return pd.read_csv(io.BytesIO(content), **kwargs)


ADULT_COLUMNS = [
    "age", "workclass", "fnlwgt", "education", "education_num", "marital_status", "occupation",
    "relationship", "race", "sex", "capital_gain", "capital_loss", "hours_per_week", "native_country",
    "income",
]


def _load_adult(contents):
    import pandas as pd

    parts = []
    for (name, content), skip in zip(contents, (0, 1)):
        # keep_default_na=False: the raw file's '?' and any 'NA' stay as written.
        part = _csv(content, header=None, names=ADULT_COLUMNS, skipinitialspace=True, skiprows=skip,
                    keep_default_na=False, na_values=[])
        part["income"] = part["income"].str.rstrip(".")
        parts.append(part.assign(_source_file=name.removesuffix(".gz")))
    both = pd.concat(parts, ignore_index=True)
    meta = pd.DataFrame({"source_file": both.pop("_source_file")})
    return both.drop(columns="income"), both["income"], meta


def _load_bike(contents):
    import pandas as pd

    frame = _csv(contents[0][1])
    start = pd.Timestamp("2011-01-01")
    timestamp = start + pd.to_timedelta(frame["day"] - 1, unit="D") + pd.to_timedelta(frame["hr"], unit="h")
    frame.insert(0, "timestamp", timestamp)
    return frame.drop(columns="bikers"), frame["bikers"], None


def _load_simple_csv(target, parse_dates=()):
    def loader(contents):
        frame = _csv(contents[0][1], parse_dates=list(parse_dates) or False)
        return frame.drop(columns=target), frame[target], None

    return loader


_CANCER_MEASURES = ("radius", "texture", "perimeter", "area", "smoothness", "compactness", "concavity",
                    "concave points", "symmetry", "fractal dimension")
# Column names as scikit-learn's own loaders give them (a test compares the two).
SKLEARN_FEATURES = {
    "breast_cancer": [f"mean {m}" for m in _CANCER_MEASURES] + [f"{m} error" for m in _CANCER_MEASURES]
    + [f"worst {m}" for m in _CANCER_MEASURES],
    "digits": [f"pixel_{i}_{j}" for i in range(8) for j in range(8)],
    "wine": ["alcohol", "malic_acid", "ash", "alcalinity_of_ash", "magnesium", "total_phenols", "flavanoids",
             "nonflavanoid_phenols", "proanthocyanins", "color_intensity", "hue",
             "od280/od315_of_diluted_wines", "proline"],
    "iris": ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"],
}


def _load_sklearn_csv(name, *, header_line):
    # The bundled files are parsed from the verified bytes rather than through
    # scikit-learn's loaders, so what is checked is exactly what is loaded.
    def loader(contents):
        names = SKLEARN_FEATURES[name]
        table = _csv(contents[0][1], header=None, skiprows=1 if header_line else 0)
        frame = table.iloc[:, : len(names)].set_axis(names, axis=1).astype("float64")
        target = table.iloc[:, len(names)].astype("int64").rename("target")
        return frame, target, None

    return loader


_LOADERS = {
    "breast_cancer": _load_sklearn_csv("breast_cancer", header_line=True),
    "digits": _load_sklearn_csv("digits", header_line=False),
    "wine": _load_sklearn_csv("wine", header_line=True),
    "iris": _load_sklearn_csv("iris", header_line=True),
    "adult": _load_adult,
    "bike_sharing": _load_bike,
    "penguins": _load_simple_csv("species"),
    "penguins_raw": _load_simple_csv("Species"),
    "seattle_weather": _load_simple_csv("weather", parse_dates=("date",)),
}

_CACHE: dict[tuple[Any, ...], tuple[pd.DataFrame, pd.Series, pd.DataFrame | None]] = {}


def dataset_names():
    return list(CARDS)


def get_card(name: str) -> dict[str, Any]:
    """A copy of a dataset's card (so a caller cannot edit the registry)."""
    _check_name(name)
    return copy.deepcopy(CARDS[name])


def _check_name(name):
    if name not in CARDS:
        raise LifecycleKitError(_("unknown dataset {name!r}; available: {names}", name=name, names=", ".join(CARDS)))


def load(name: str, *, verify: bool = True, data_dir: str | os.PathLike[str] | None = None) -> Dataset:
    """Load an open dataset carried with the kit, after checking its SHA-256.

    Parameters
    ----------
    name : str
        One of :func:`list_datasets` ``["name"]``.
    verify : bool, default=True
        Compare every file with the digest in the card before parsing it.
    data_dir : path-like, default=None
        Read the files from this folder instead of the kit's own (for
        example a copy under test). ``None`` uses the kit's data folder and,
        for the scikit-learn datasets, scikit-learn's.

    Returns
    -------
    Dataset

    Raises
    ------
    IntegrityError
        If a file's digest differs from its card.
    LifecycleKitError
        If the name is unknown or a file is missing.

    Examples
    --------
    >>> from lifecycle_kit.datasets import load
    >>> ds = load("penguins")
    >>> ds.frame.shape, ds.target.name
    ((344, 7), 'species')
    >>> ds.card["licence"]
    'CC0 1.0'
    """
    _check_name(name)
    card = CARDS[name]
    contents = [(f["name"], read_verified(f, folder=data_dir, verify=verify)) for f in card["files"]]
    # Parsed frames are cached per digest of what was read, so a changed file never hits a stale entry.
    key = (name, tuple(sha256_of_bytes(c) for _, c in contents))
    if key not in _CACHE:
        _CACHE[key] = _LOADERS[name](contents)
    frame, target, meta = _CACHE[key]
    if meta is None:
        import pandas as pd

        meta = pd.DataFrame({"source_file": card["files"][0]["name"].removesuffix(".gz")}, index=frame.index)
    return Dataset(name=name, frame=frame.copy(), target=target.copy(), card=get_card(name), meta=meta.copy())


# How the registry's columns and the cards' descriptive texts read in a notebook (lifecycle_kit.display); the cards
# and list_datasets() keep the English, which data/README.md and the tests compare against.
_REGISTRY_HEADINGS = {"name": N_("name"), "rows": N_("rows"), "columns": N_("columns"), "task": N_("task"),
                      "licence": N_("licence"), "source": N_("source"), "citation": N_("citation")}
_CARD_TEXTS = {
    "task": {"binary classification": N_("binary classification"),
             "multiclass classification": N_("multiclass classification"),
             "multiclass classification (images)": N_("multiclass classification (images)"),
             "multiclass classification (time series)": N_("multiclass classification (time series)"),
             "regression (time series)": N_("regression (time series)")},
    "licence": {"Public domain (US government work, NOAA)": N_("Public domain (US government work, NOAA)")},
    "source": {"UCI Machine Learning Repository (bundled with scikit-learn)":
               N_("UCI Machine Learning Repository (bundled with scikit-learn)"),
               "UCI Machine Learning Repository (the 2011 half of hour.csv, as carried by the ISLP package)":
               N_("UCI Machine Learning Repository (the 2011 half of hour.csv, as carried by the ISLP package)"),
               "Palmer Station LTER, via the palmerpenguins package":
               N_("Palmer Station LTER, via the palmerpenguins package"),
               "NOAA, via the vega_datasets package": N_("NOAA, via the vega_datasets package")},
}


def card_text(field: str, value: str) -> str:
    """A card's descriptive text (``task``, ``source``, ``licence``) in the reader's language, if it is one of the
    kit's (a citation, a title or a name stays as written).

    >>> card_text("task", "binary classification"), card_text("title", "Iris")
    ('binary classification', 'Iris')
    """
    label = _CARD_TEXTS.get(field, {}).get(value)
    return _(label) if label is not None else value


def list_datasets() -> "pd.DataFrame":
    """The registry: one row per dataset with its shape, task, licence, source, citation and digest.

    Examples
    --------
    >>> from lifecycle_kit.datasets import list_datasets
    >>> table = list_datasets()
    >>> {"adult", "digits", "penguins"} <= set(table["name"])
    True
    >>> list(table.columns)
    ['name', 'rows', 'columns', 'task', 'licence', 'source', 'citation', 'sha256']
    """
    import pandas as pd

    from lifecycle_kit.display import vocabulary

    vocabulary(headings=_REGISTRY_HEADINGS, values=_CARD_TEXTS)
    rows = []
    for name, card in CARDS.items():
        files = card["files"]
        digest = files[0]["sha256"] if len(files) == 1 else "; ".join(f"{f['name']}={f['sha256']}" for f in files)
        rows.append(
            {
                "name": name,
                "rows": card["rows"],
                "columns": card["columns"],
                "task": card["task"],
                "licence": card["licence"],
                "source": card["source"],
                "citation": card["citation"],
                "sha256": digest,
            }
        )
    return pd.DataFrame(rows)

"""Open datasets carried with the kit, each verified against its card before use.

Nothing is downloaded: the scikit-learn datasets are read from scikit-learn's
own files, the others from the kit's ``data/`` folder, and every file's SHA-256
is compared with the digest recorded in its card. A mismatch raises
:class:`lifecycle_kit.IntegrityError` naming the file and both digests.

>>> from lifecycle_kit import datasets
>>> ds = datasets.load("adult")
>>> len(ds.frame), (ds.frame["workclass"] == "?").any()
(48842, np.True_)
"""

from lifecycle_kit.datasets._load import (
    Dataset,
    find_data_dir,
    get_card,
    list_datasets,
    load,
    sklearn_data_dir,
)

__all__ = ["Dataset", "find_data_dir", "get_card", "list_datasets", "load", "sklearn_data_dir"]

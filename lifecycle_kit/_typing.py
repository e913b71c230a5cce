"""Type aliases of the kit's annotations, for type checkers: import them only under ``typing.TYPE_CHECKING``.

``numpy.typing.ArrayLike`` also admits scalars and strings, which no function
of the kit takes where it expects rows or labels; these aliases say what is
taken. This module imports numpy and pandas, so importing it at run time
would make ``import lifecycle_kit`` heavy.
"""

from collections.abc import Sequence
from typing import Any, Protocol, TypeAlias

import numpy as np
import pandas as pd

#: Rows of features: a 2-D array, a DataFrame, or a sequence of rows.
Matrix: TypeAlias = np.ndarray | pd.DataFrame | Sequence[Sequence[Any]]

#: One value per row (labels, sources): a 1-D array, a Series, or a sequence.
Vector: TypeAlias = np.ndarray | pd.Series | Sequence[Any]

#: A seed, a numpy generator, or None for fresh randomness.
RandomState: TypeAlias = int | np.random.Generator | None


class Predictor(Protocol):
    """A fitted model, as far as scoring it needs: scikit-learn's ``predict``."""

    def predict(self, X: Any, /) -> Any: ...

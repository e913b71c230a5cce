"""Errors the kit raises on bad input.

Every error derives from :class:`LifecycleKitError`, itself a ``ValueError``,
so ``except ValueError`` keeps working for callers who do not know the kit.
Messages name what was wrong (the column, file or parameter), what was
expected and what was found.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["IntegrityError", "LifecycleKitError", "QualityGateError"]


class LifecycleKitError(ValueError):
    """Bad input to the kit: the message says what, where, and what was expected.

    Examples
    --------
    >>> from lifecycle_kit import LifecycleKitError
    >>> try:
    ...     raise LifecycleKitError("rate must be in [0, 1), got 1.5")
    ... except ValueError as err:
    ...     print(err)
    rate must be in [0, 1), got 1.5
    """


class IntegrityError(LifecycleKitError):
    """A file or record does not match the digest it was recorded with."""


class QualityGateError(LifecycleKitError):
    """Data failed a quality gate; ``reasons`` lists each failed measure.

    Parameters
    ----------
    message : str
        Summary shown to the user.
    reasons : list of str, default=()
        One readable line per failed check.
    """

    def __init__(self, message: str, reasons: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.reasons = list(reasons)

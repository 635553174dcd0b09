"""One exception tree for frontwatch; library errors are translated at the boundary."""

from __future__ import annotations


class FrontwatchError(Exception):
    """Base class of every error frontwatch raises on purpose."""


class FrontwatchWarning(UserWarning):
    """Base class of frontwatch's warnings (pytest turns them into errors)."""


class SourceError(FrontwatchError):
    """A file or record could not be read as a document.

    ``str(err)`` is one line that names the file and the reason.
    """

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class ModelNotFoundError(FrontwatchError):
    """No English spaCy model is installed."""


class VocabularyError(FrontwatchError):
    """A domain vocabulary file is missing or malformed."""


class StoreError(FrontwatchError):
    """The evidence store could not be opened or written."""


class NotFoundError(FrontwatchError):
    """A named entity, claim or audit entry does not exist in the store."""

"""Precision, recall and F1 of a yes/no decision over a labelled set (resolution, screening)."""

from __future__ import annotations


class Confusion:
    """Scores from the counts a subclass provides as `tp`, `fp` and `fn`."""

    @property
    def tp(self) -> int:
        raise NotImplementedError

    @property
    def fp(self) -> int:
        raise NotImplementedError

    @property
    def fn(self) -> int:
        raise NotImplementedError

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

"""Precision, recall and F1 of a yes/no decision over a labelled set (resolution, screening)."""

from __future__ import annotations


class Confusion:
    """Counts and scores of a yes/no decision; a subclass says, through `_count`, how many outcomes
    were decided yes or no (`predicted`) and labelled yes or no (`actual`)."""

    def _count(self, predicted: bool, actual: bool) -> int:
        raise NotImplementedError

    @property
    def tp(self) -> int:
        return self._count(True, True)

    @property
    def fp(self) -> int:
        return self._count(True, False)

    @property
    def fn(self) -> int:
        return self._count(False, True)

    @property
    def tn(self) -> int:
        return self._count(False, False)

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

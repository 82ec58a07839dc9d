"""One validation problem, printed as one line that names the file, line and feature."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    message: str
    line: int | None = None
    feature: str | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        who = f" feature '{self.feature}':" if self.feature else ""
        return f"{where}:{who} {self.message}"


class BuildError(Exception):
    """Raised when sources have problems; carries all of them so they are reported together."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

"""What localisation returns: ranked files, within each the ranked functions and the lines."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class RankedFunction(BaseModel):
    """A function, method or class of a candidate file, with why it is suspected."""

    model_config = ConfigDict(frozen=True)

    qualname: str
    start: int
    end: int
    score: float
    reasons: list[str]


class RankedFile(BaseModel):
    """A candidate file: its score, the reasons, its suspected functions and lines (1-based)."""

    model_config = ConfigDict(frozen=True)

    path: str
    score: float
    reasons: list[str]
    functions: list[RankedFunction]
    lines: list[int]

    def anchors(self) -> list[tuple[int, int]]:
        """Spans worth showing: the suspicious lines, then the ranked functions' spans."""
        return [(line, line) for line in self.lines] + [(f.start, f.end) for f in self.functions]


class Localisation(BaseModel):
    """Candidate files, most suspected first (ties broken by path)."""

    model_config = ConfigDict(frozen=True)

    files: list[RankedFile]
    test_file: str | None = None
    test_function: str | None = None

    @property
    def paths(self) -> list[str]:
        """The candidate paths in rank order."""
        return [ranked.path for ranked in self.files]

    def summary(self) -> str:
        """One line per file, `path (score): reasons`, then its top functions."""
        rows: list[str] = []
        for ranked in self.files:
            rows.append(f"{ranked.path} ({ranked.score:g}): {'; '.join(ranked.reasons)}")
            rows += [f"  {f.qualname} lines {f.start}-{f.end}" for f in ranked.functions]
        return "\n".join(rows)

"""Parse JUnit XML (as written by pytest --junitxml) into typed test outcomes."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class TestOutcome(StrEnum):
    """How one test ended."""

    __test__ = False  # not a pytest test class (and, being a dunder, not a member)
    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class TestCase:
    """One test case from the report."""

    __test__ = False  # not a pytest test class

    node_id: str
    outcome: TestOutcome
    message: str = ""
    details: str = ""
    file: str | None = None
    duration_s: float = 0.0


@dataclass(frozen=True)
class TestReport:
    """All cases of one run, with counts."""

    __test__ = False

    cases: list[TestCase] = field(default_factory=list)

    def count(self, outcome: TestOutcome) -> int:
        """Number of cases that ended with `outcome`."""
        return sum(1 for case in self.cases if case.outcome is outcome)

    @property
    def problems(self) -> list[TestCase]:
        """Failed and erroring cases, in report order."""
        return [c for c in self.cases if c.outcome in (TestOutcome.FAILED, TestOutcome.ERROR)]


def node_id(classname: str, name: str, file: str | None = None, root: Path | None = None) -> str:
    """Rebuild pytest's node id (`tests/test_x.py::TestY::test_z`) from JUnit attributes.

    `classname` names the module that collected the test; `file` is where the function is
    defined, which differs for a test class imported or subclassed into another module: then the
    collecting module is read from `classname`, resolved against the files under `root`.
    """
    parts = classname.split(".") if classname else []
    if file:
        defining = list(Path(file).with_suffix("").parts)
        if parts[: len(defining)] == defining:
            return "::".join([Path(file).as_posix(), *parts[len(defining) :], name])
    if root is not None:
        for cut in range(len(parts), 0, -1):
            path = Path(*parts[:cut]).with_suffix(".py")
            if (root / path).is_file():
                return "::".join([path.as_posix(), *parts[cut:], name])
    split = len(parts)
    while split > 1 and parts[split - 1][:1].isupper():
        split -= 1  # trailing capitalised parts are test classes
    module = "/".join(parts[:split]) + ".py" if split else ""
    return "::".join(part for part in (module, *parts[split:], name) if part)


_KINDS = (
    ("failure", TestOutcome.FAILED),
    ("error", TestOutcome.ERROR),
    ("skipped", TestOutcome.SKIPPED),
)


def _case(element: ET.Element, root: Path | None) -> TestCase:
    file = element.get("file")
    nid = node_id(element.get("classname", ""), element.get("name", ""), file, root)
    outcome, message, details = TestOutcome.PASSED, "", ""
    for tag, kind in _KINDS:
        child = element.find(tag)
        if child is not None:
            outcome, message, details = kind, child.get("message", ""), (child.text or "")
            break
    duration = float(element.get("time", "0") or 0)
    return TestCase(nid, outcome, message, details.strip(), file, duration)


def parse_junit(text: str, repo: Path | None = None) -> TestReport:
    """Parse a JUnit XML document of a run in `repo`; raises ValueError when it is not one."""
    try:
        document = ET.fromstring(text)  # noqa: S314 - our own test run wrote it
    except ET.ParseError as exc:
        raise ValueError(f"not a JUnit XML report: {exc}") from None
    return TestReport([_case(element, repo) for element in document.iter("testcase")])

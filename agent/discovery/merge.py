"""Merge discovered items into the backlog: stable ids, human edits kept, resolved items DONE.

Matching, in order: the same fingerprint; else, within one source, path and tag, the most similar
text (an edited comment keeps its id); else the same family (an older item of one parameter of a
test function, or of one bandit finding, takes over the item of the whole function or rule; its
open siblings are marked DONE, "merged into ID"). Items of a source that ran completely and found
nothing at their place are marked DONE with the note "resolved in code at COMMIT", or with the
source's reason when it no longer looks there. Manual items and items of sources that did not run
are never touched.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from agent.backlog.models import Backlog, BacklogItem, ItemType, Source, Status
from agent.config.discovery import DiscoverySettings
from agent.discovery.identity import make_id, normalize
from agent.discovery.model import BANDIT_CODE, Found
from agent.testrun.testfiles import function_id

DISCOVERED_KINDS = ("comments", "tests", "lint", "security", "issues", "ci", "perf")
SIMILAR = 0.6
RESOLVED_NOTE = "resolved in code at {commit}"
GONE_NOTE = {
    "issues": "the issue is no longer open on the forge (closed or moved)",
    "ci": "the check passes again on the default branch",
    "perf": "back within the threshold of its baseline in the newest benchmark results",
}
MERGED_NOTE = "merged into {id}, which covers the whole test function or every finding of the rule"
Unscanned = Callable[[str | None, str], str | None]


@dataclass
class MergeReport:
    """What a merge did, item by item."""

    current: list[BacklogItem] = field(default_factory=list)
    """The discovered items as they now stand in the backlog, in discovery order."""
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    resolved: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    """Items of one parameter or one finding, folded into the item of their function or rule."""
    closed: list[str] = field(default_factory=list)
    """Items of places the source no longer scans (e.g. bandit in test files)."""


def merge(
    backlog: Backlog,
    found: list[Found],
    complete: Mapping[str, Unscanned | None],
    settings: DiscoverySettings,
    now: datetime,
    commit: str,
) -> MergeReport:
    """Apply `found` to `backlog` in place; `complete` maps the sources that saw everything to
    what they chose not to look at."""
    report = MergeReport()
    open_items = [item for item in backlog.items if _discovered(item)]
    matched = _match(found, open_items)
    members = _family_members(found, open_items, {id(item) for item in matched.values()})
    matched.update({index: old for index, old in reversed(members) if index not in matched})
    adopted = {i for i, old in matched.items() if _widened(old, found[i])}
    taken = {item.id for item in backlog.items}
    for index, item in enumerate(found):
        old = matched.get(index)
        if old is None:
            old = _new_item(item, settings, now, taken)
            taken.add(old.id)
            backlog.items.append(old)
            report.new.append(old.id)
        elif _refresh(old, item, settings, now, index in adopted):
            report.updated.append(old.id)
        else:
            report.unchanged.append(old.id)
        report.current.append(old)
    seen = {id(item) for item in matched.values()}
    for index, sibling in members:
        if id(sibling) not in seen:
            _resolve(sibling, now, MERGED_NOTE.format(id=matched[index].id))
            seen.add(id(sibling))
            report.merged.append(sibling.id)
    _close_gone(open_items, seen, complete, report, now, commit)
    return report


def _close_gone(
    open_items: list[BacklogItem],
    seen: set[int],
    complete: Mapping[str, Unscanned | None],
    report: MergeReport,
    now: datetime,
    commit: str,
) -> None:
    """Mark DONE what a complete source did not find again: resolved, or no longer looked for."""
    for gone in open_items:
        source = gone.source
        if source is None or id(gone) in seen or gone.status is Status.DONE:
            continue
        if source.kind not in complete:
            continue
        unscanned = complete[source.kind]
        why = unscanned(source.path, source.tag or "") if unscanned else None
        note = GONE_NOTE.get(source.kind, RESOLVED_NOTE).format(commit=commit)
        _resolve(gone, now, why or note)
        (report.closed if why else report.resolved).append(gone.id)


def family(kind: str, path: str | None, tag: str | None) -> tuple[str, ...] | None:
    """What one item covers: a test function (all its parameters) or a bandit rule in a file.

    Items from before that grouping (one per parameter, one per bandit finding) share the family of
    the item that replaces them.
    """
    if kind == "tests" and tag and "::" in tag and not tag.startswith("collection:"):
        return (kind, function_id(tag))
    if kind == "security" and path and tag and BANDIT_CODE.match(tag):
        return (kind, path, tag)
    return None


def _match(found: list[Found], open_items: list[BacklogItem]) -> dict[int, BacklogItem]:
    """Pair found items (by index) with backlog items: same fingerprint first, then similar."""
    by_print = {item.source.fingerprint: item for item in open_items if item.source}
    matched: dict[int, BacklogItem] = {}
    for index, item in enumerate(found):
        old = by_print.get(item.fingerprint)
        if old is not None:
            matched[index] = old
    _match_similar(found, open_items, matched)
    return matched


def _widened(old: BacklogItem, item: Found) -> bool:
    """True when an item of one parameter or finding now stands for its whole family."""
    source = old.source
    return bool(
        source and source.fingerprint != item.fingerprint and family(item.kind, item.path, item.tag)
    )


def _family_members(
    found: list[Found], open_items: list[BacklogItem], used: set[int]
) -> list[tuple[int, BacklogItem]]:
    """(found index, an open, unpaired backlog item of its family), in backlog order."""
    families: dict[tuple[str, ...], int] = {}
    for index, item in enumerate(found):
        key = family(item.kind, item.path, item.tag)
        if key is not None:
            families.setdefault(key, index)
    members = []
    for old in open_items:
        source = old.source
        key = family(source.kind, source.path, source.tag) if source else None
        member = families.get(key) if key else None
        if member is not None and id(old) not in used and old.status is not Status.DONE:
            members.append((member, old))
    return members


def _discovered(item: BacklogItem) -> bool:
    return bool(item.source and item.source.kind in DISCOVERED_KINDS and item.source.fingerprint)


def _match_similar(
    found: list[Found], open_items: list[BacklogItem], matched: dict[int, BacklogItem]
) -> None:
    """Pair leftovers of one source, path and tag by text similarity (edited comments)."""
    used = {id(item) for item in matched.values()}
    leftovers: dict[tuple[str, str | None, str | None], list[BacklogItem]] = {}
    for old in open_items:
        if id(old) not in used and old.source is not None:
            key = (old.source.kind, old.source.path, old.source.tag)
            leftovers.setdefault(key, []).append(old)
    pairs = []
    for index, item in enumerate(found):
        if index in matched:
            continue
        for old in leftovers.get((item.kind, item.path, item.tag), []):
            score = _similarity(item, old)
            if score >= SIMILAR:
                pairs.append((-score, index, old.id, old))
    for _score, index, _id, old in sorted(pairs, key=lambda p: p[:3]):
        if index not in matched and id(old) not in used:
            matched[index] = old
            used.add(id(old))


def _similarity(item: Found, old: BacklogItem) -> float:
    source = old.source
    if source is None or (source.kind, source.path, source.tag) != (item.kind, item.path, item.tag):
        return 0.0
    before, after = normalize(source.text or ""), normalize(item.text)
    if source.line == item.line:
        return 1.0 if before or after else 0.0
    return difflib.SequenceMatcher(None, before, after, autojunk=False).ratio()


def _new_item(
    item: Found, settings: DiscoverySettings, now: datetime, taken: set[str]
) -> BacklogItem:
    scores = settings.score_for(item.score_key).model_dump()
    if item.scores is not None:
        scores = dict(zip(scores, item.scores, strict=True))
    key = item.score_key if item.kind == "comments" else item.kind
    return BacklogItem(
        id=item.item_id
        if item.item_id not in (None, *taken)
        else make_id(key, item.fingerprint, taken),
        title=item.title,
        description=item.description,
        type=ItemType(item.item_type),
        status=_status(item, settings),
        blocked_reason=item.blocked_reason,
        **scores,
        created_at=now,
        acceptance_criteria=list(item.criteria),
        links=list(item.links),
        tags=list(item.tags),
        source=_source(item),
    )


def _source(item: Found) -> Source:
    return Source(
        kind=item.kind,
        path=item.path,
        line=item.line,
        fingerprint=item.fingerprint,
        tag=item.tag,
        text=item.text,
    )


def _status(item: Found, settings: DiscoverySettings) -> Status:
    if item.blocked_reason:
        return Status.BLOCKED
    if item.status:
        return Status(item.status)
    return Status(settings.comment_status if item.kind == "comments" else settings.check_status)


def _refresh(
    old: BacklogItem, item: Found, settings: DiscoverySettings, now: datetime, adopted: bool
) -> bool:
    """Update where and what was found; keep scores, criteria and status (unless reopened).

    An `adopted` item (one parameter or finding, now standing for its whole family) is widened."""
    before = old.model_copy(deep=True)
    assert old.source is not None
    if old.source.fingerprint != item.fingerprint or old.source.text != item.text:
        old.title, old.description = item.title, item.description
    if adopted:
        _widen(old, item, settings)
    old.source = _source(item)
    if old.status is Status.DONE or (old.status is Status.READY and item.blocked_reason):
        old.status = _status(item, settings)  # the marker or failure came back, or is unworkable
        old.blocked_reason = item.blocked_reason
    changed = old != before
    if changed:
        old.updated_at = now
    return changed


def _widen(old: BacklogItem, item: Found, settings: DiscoverySettings) -> None:
    """New criteria for the whole family; scores left at the source's default take the item's."""
    old.acceptance_criteria = list(item.criteria)
    default = settings.score_for(item.kind).model_dump()
    if {field: getattr(old, field) for field in default} == default:
        for field, value in settings.score_for(item.score_key).model_dump().items():
            setattr(old, field, value)


def _resolve(item: BacklogItem, now: datetime, note: str) -> None:
    item.status = Status.DONE
    item.description = f"{item.description}\n\n{note}".strip() if item.description else note
    item.updated_at = now


def counts_by(items: Iterable[BacklogItem]) -> dict[tuple[str, str], int]:
    """Count items by (source kind, type)."""
    counts: dict[tuple[str, str], int] = {}
    for item in items:
        key = (item.source.kind if item.source else "manual", item.type.value)
        counts[key] = counts.get(key, 0) + 1
    return counts

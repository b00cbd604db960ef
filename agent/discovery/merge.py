"""Merge discovered items into the backlog: stable ids, human edits kept, resolved items DONE.

Matching, in order: the same fingerprint; else, within one source, path and tag, the most similar
text (an edited comment keeps its id). Items of a source that ran completely and found nothing at
their place are marked DONE with the note "resolved in code at COMMIT". Manual items and items of
sources that did not run are never touched.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from agent.backlog.models import Backlog, BacklogItem, ItemType, Source, Status
from agent.discovery.identity import make_id, normalize
from agent.discovery.model import Found
from agent.discovery.settings import DiscoverySettings

DISCOVERED_KINDS = ("comments", "tests", "lint", "security")
SIMILAR = 0.6
RESOLVED_NOTE = "resolved in code at {commit}"


@dataclass
class MergeReport:
    """What a merge did, item by item."""

    current: list[BacklogItem] = field(default_factory=list)
    """The discovered items as they now stand in the backlog, in discovery order."""
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    resolved: list[str] = field(default_factory=list)


def merge(
    backlog: Backlog,
    found: list[Found],
    complete: Collection[str],
    settings: DiscoverySettings,
    now: datetime,
    commit: str,
) -> MergeReport:
    """Apply `found` to `backlog` in place; `complete` names the sources that saw everything."""
    report = MergeReport()
    open_items = [item for item in backlog.items if _discovered(item)]
    matched = _match(found, open_items)
    taken = {item.id for item in backlog.items}
    for index, item in enumerate(found):
        old = matched.get(index)
        if old is None:
            old = _new_item(item, settings, now, taken)
            taken.add(old.id)
            backlog.items.append(old)
            report.new.append(old.id)
        elif _refresh(old, item, settings, now):
            report.updated.append(old.id)
        else:
            report.unchanged.append(old.id)
        report.current.append(old)
    seen = {id(item) for item in matched.values()}
    for gone in open_items:
        kind = gone.source.kind if gone.source else ""
        if id(gone) not in seen and kind in complete and gone.status is not Status.DONE:
            _resolve(gone, now, commit)
            report.resolved.append(gone.id)
    return report


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
    scores = settings.score_for(item.score_key)
    status = settings.comment_status if item.kind == "comments" else settings.check_status
    return BacklogItem(
        id=make_id(
            item.score_key if item.kind == "comments" else item.kind, item.fingerprint, taken
        ),
        title=item.title,
        description=item.description,
        type=ItemType(item.item_type),
        status=Status(status),
        business_value=scores.business_value,
        time_criticality=scores.time_criticality,
        risk_reduction=scores.risk_reduction,
        effort=scores.effort,
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


def _refresh(old: BacklogItem, item: Found, settings: DiscoverySettings, now: datetime) -> bool:
    """Update where and what was found; keep scores, criteria and status (unless reopened)."""
    before = old.model_copy(deep=True)
    assert old.source is not None
    if old.source.fingerprint != item.fingerprint or old.source.text != item.text:
        old.title, old.description = item.title, item.description
    old.source = _source(item)
    if old.status is Status.DONE:
        status = settings.comment_status if item.kind == "comments" else settings.check_status
        old.status = Status(status)  # the marker or failure came back
    changed = old != before
    if changed:
        old.updated_at = now
    return changed


def _resolve(item: BacklogItem, now: datetime, commit: str) -> None:
    note = RESOLVED_NOTE.format(commit=commit)
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

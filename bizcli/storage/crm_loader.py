"""Load the CRM files (``crm/*.yaml`` and ``biz.yaml``'s ``crm:``), through a cache.

The CRM has a cache of its own, ``.biz/cache/crm.msgpack``, keyed on the SHA-256 of
``biz.yaml`` and every CRM file: a report on the books never reads the CRM, and a
change to the CRM never makes the books' cache stale. A CRM write stores the cache for
what it wrote, so the next command reads no YAML.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from bizcli import __version__
from bizcli.core.conflicts import conflict_problems
from bizcli.core.crm.activities import Activity, Ticket
from bizcli.core.crm.book import Crm
from bizcli.core.crm.deals import CrmSettings, Deal, DealLine, Lead, Stage, StageChange
from bizcli.core.memory import no_cyclic_gc
from bizcli.core.problems import BizcliError, Problem, blocking, fail, sorted_problems
from bizcli.core.source import SourceRef
from bizcli.storage import cache
from bizcli.storage.book_files import read_settings
from bizcli.storage.crm_file import (
    ACTIVITIES_FILE,
    DEALS_FILE,
    TICKETS_FILE,
    read_activities,
    read_crm_settings,
    read_deals,
    read_tickets,
)
from bizcli.storage.hashing import content_hash
from bizcli.storage.loader import SETTINGS_FILE
from bizcli.storage.location import within_book
from bizcli.storage.transaction import consistent_read, note_read

CRM_FORMAT = 3
CRM_CACHE = Path(".biz") / "cache" / "crm.msgpack"
CRM_FILES = (SETTINGS_FILE, DEALS_FILE, ACTIVITIES_FILE, TICKETS_FILE)


def _read(root: Path) -> tuple[dict[str, str | None], list[list[str]], list[Problem]]:
    texts: dict[str, str | None] = {}
    hashes, problems = [], []
    for rel in CRM_FILES:
        if not within_book(root, root / rel):
            raise fail("path-outside-book", f"{rel} is a symbolic link out of the book; it "
                       "was not read", hint="copy the file into the book in place of the link")
        try:
            data = (root / rel).read_bytes()
        except FileNotFoundError:
            texts[rel] = None
            hashes.append([rel, "missing"])
            note_read(root, rel, "missing")
            continue
        except OSError as err:
            raise BizcliError([Problem(code="unreadable-file", source=SourceRef(rel, 0),
                                       message=f"cannot read the file: {err.strerror}",
                                       hint="check the file's permissions")]) from None
        hashes.append([rel, content_hash(data)])
        note_read(root, rel, hashes[-1][1])
        try:
            texts[rel] = data.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
            conflicts = conflict_problems(rel, texts[rel] or "")
            if conflicts:
                texts[rel] = None
                problems.extend(conflicts)
        except UnicodeDecodeError as err:
            texts[rel] = None
            problems.append(Problem(code="bad-encoding", source=SourceRef(
                rel, data[: err.start].count(b"\n") + 1), message="the file is not valid "
                "UTF-8", hint="save it as UTF-8 (bizcli reads and writes only UTF-8)"))
    return texts, hashes, problems


def _key(hashes: list[list[str]]) -> list[Any]:
    return [CRM_FORMAT, __version__, hashes]


def load_crm(root: Path, *, use_cache: bool = True) -> tuple[Crm, list[Problem]]:
    """The CRM of the book at ``root``, and its files' problems (never raises for bad data)."""
    texts, hashes, problems = consistent_read(root, partial(_read, root))
    key = _key(hashes)
    if use_cache and not problems:
        with no_cyclic_gc():
            payload = cache.read_cache(root, CRM_CACHE)
            cached = _from_data(payload) if payload is not None and payload.get(
                "crm_format") == CRM_FORMAT and payload.get("key") == key else None
        if cached is not None:
            return cached
    settings_text = texts[SETTINGS_FILE] or ""
    book_settings, _ = read_settings(SETTINGS_FILE, settings_text)
    currency = book_settings.currency if book_settings else ""
    crm_settings, found_problems = read_crm_settings(SETTINGS_FILE, settings_text)
    problems += [p for p in found_problems if _about_crm(p, crm_settings)]
    leads: list[Lead] = []
    deals: list[Deal] = []
    text = texts[DEALS_FILE]
    if text is not None:
        with no_cyclic_gc():
            leads, deals, found = read_deals(DEALS_FILE, text, currency, crm_settings)
        problems += found
    activities: list[Activity] = []
    if texts[ACTIVITIES_FILE] is not None:
        activities, found = read_activities(ACTIVITIES_FILE, texts[ACTIVITIES_FILE] or "")
        problems += found
    tickets: list[Ticket] = []
    if texts[TICKETS_FILE] is not None:
        tickets, found = read_tickets(TICKETS_FILE, texts[TICKETS_FILE] or "")
        problems += found
    crm = Crm(settings=crm_settings, leads=tuple(leads), deals=tuple(deals),
              activities=tuple(activities), tickets=tuple(tickets))
    problems = sorted_problems(problems)
    if use_cache:
        store_crm(root, key, crm, problems)
    return crm, problems


def _about_crm(problem: Problem, crm: CrmSettings) -> bool:
    """A problem of biz.yaml inside its crm: part (the rest is the books' to report)."""
    where, at = crm.source, problem.source
    return where is not None and at is not None and where.line <= at.line <= where.end_line


def load_crm_for_write(root: Path) -> tuple[Crm, list[list[str]]]:
    """The CRM a write starts from (refused if its files have errors), and the hashes."""
    crm, problems = load_crm(root)
    errors = blocking(problems)
    if errors:
        raise BizcliError([*errors, Problem(
            code="book-invalid", message="the CRM files have problems; nothing was written",
            hint="fix them first ('biz check' lists them)")])
    return crm, _read(root)[1]


def store_crm(root: Path, key: list[Any], crm: Crm, problems: list[Problem]) -> None:
    """Write the CRM cache (failing to is never an error)."""
    try:
        payload = {"format": cache.CACHE_FORMAT, "crm_format": CRM_FORMAT, "key": key,
                   **_to_data(crm), "problems": [cache.problem_to_data(p) for p in problems]}
        (root / CRM_CACHE).parent.mkdir(parents=True, exist_ok=True)
        cache.write_payload(root / CRM_CACHE, payload)
    except (OSError, ValueError):
        return


def refresh_crm(root: Path, crm: Crm, written: dict[str, str]) -> None:
    """After a write of ``written`` (path -> text), store the cache for the new CRM."""
    hashes = []
    for rel in CRM_FILES:
        if rel in written:
            hashes.append([rel, content_hash(written[rel].encode("utf-8"))])
            continue
        try:
            hashes.append([rel, content_hash((root / rel).read_bytes())])
        except FileNotFoundError:
            hashes.append([rel, "missing"])
        except OSError:
            return
    store_crm(root, _key(hashes), crm, [])


# --- the cache's encoding --------------------------------------------------------------

def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _day(value: dt.date | None) -> int | None:
    return None if value is None else value.toordinal()


def _ref(ref: SourceRef | None) -> list[Any] | None:
    return None if ref is None else [ref.path, ref.line, ref.end_line]


def _to_data(crm: Crm) -> dict[str, Any]:
    settings = crm.settings
    return {
        "settings": [[[s.name, str(s.probability)] for s in settings.stages],
                     _dec(settings.monthly_target),
                     {m: str(v) for m, v in settings.targets.items()},
                     {p: list(v) for p, v in settings.sla.items()}, _ref(settings.source)],
        "leads": [[lead.number, lead.name, lead.created.toordinal(), lead.company, lead.email,
                   lead.phone, lead.source, lead.campaign, lead.owner, lead.converted,
                   lead.deal, lead.disqualified, lead.notes, _ref(lead.ref)]
                  for lead in crm.leads],
        "deals": _deal_columns(crm),
        "activities": [[a.number, a.kind, a.date.toordinal(), a.subject, a.customer, a.lead,
                        a.deal, a.ticket, a.contact, a.owner, _day(a.due), _day(a.done),
                        a.notes, _ref(a.ref)] for a in crm.activities],
        "tickets": [[t.number, t.customer, t.subject, t.priority, _stamp(t.opened),
                     t.assignee, _stamp(t.responded), _stamp(t.closed), t.resolution,
                     t.notes, _ref(t.ref)] for t in crm.tickets]}


def _stamp(when: dt.datetime | None) -> str | None:
    return None if when is None else when.isoformat()


def _unstamp(text: str | None) -> dt.datetime | None:
    return None if text is None else dt.datetime.fromisoformat(text)


def _unday(ordinal: int | None) -> dt.date | None:
    return None if ordinal is None else dt.date.fromordinal(ordinal)


_TEXTS = ("customer", "title", "currency", "owner", "source", "campaign", "lost", "lead",
          "order", "notes")
"""Deal fields kept as indexes into one table of strings (most repeat across deals)."""


def _deal_columns(crm: Crm) -> dict[str, Any]:
    """The deals column by column (a few long lists unpack far faster than 100k short).

    Repeated strings are indexes into one table; a history is a list of numbers,
    ``ordinal * 1024 + stage index``.
    """
    names: dict[str | None, int] = {None: 0}
    stages = {name: n for n, name in enumerate(crm.settings.names)}
    for deal in crm.deals:
        for change in deal.history:
            stages.setdefault(change.stage, len(stages))
    deals = crm.deals
    if len(stages) > 1024:
        msg = "more than 1024 stages"
        raise ValueError(msg)

    def column(values: list[str | None]) -> list[int]:
        return [names.setdefault(v, len(names)) for v in values]

    out: dict[str, Any] = {
        key: column([getattr(d, attr) for d in deals]) for key, attr in (
            ("customer", "customer"), ("title", "title"), ("currency", "currency"),
            ("owner", "owner"), ("source", "source"), ("campaign", "campaign"),
            ("lost", "lost_reason"), ("lead", "lead"), ("order", "order"),
            ("notes", "notes"))}
    out.update({
        "number": [d.number for d in deals], "amount": [str(d.amount) for d in deals],
        "history": [[c.date.toordinal() * 1024 + stages[c.stage] for c in d.history]
                    for d in deals],
        "close": [_day(d.expected_close) for d in deals],
        "probability": [_dec(d.probability) for d in deals],
        "lines": {n: [[i, str(q), str(p)] for i, q, p in d.lines]
                  for n, d in enumerate(deals) if d.lines},
        "ref": [_ref(d.ref) for d in deals], "stages": list(stages), "names": list(names)})
    return out


class _Changes(dict[int, StageChange]):
    """``ordinal * 1024 + stage`` -> the history line, made once per distinct value."""

    def __init__(self, stages: list[str]) -> None:
        super().__init__()
        self.stages = stages

    def __missing__(self, key: int) -> StageChange:
        change = StageChange(dt.date.fromordinal(key // 1024), self.stages[key % 1024])
        self[key] = change
        return change


def _deals_from_columns(data: dict[str, Any]) -> list[Deal]:
    names = data["names"]
    changes = _Changes(data["stages"])
    dates: dict[int, dt.date] = {}
    text = {key: list(map(names.__getitem__, data[key])) for key in _TEXTS}
    lines = {int(n): tuple(DealLine(i, Decimal(q), Decimal(p)) for i, q, p in found)
             for n, found in data["lines"].items()}
    deals = []
    columns = zip(data["number"], data["amount"], data["history"], data["close"],
                  data["probability"], data["ref"], *(text[key] for key in _TEXTS),
                  strict=True)
    for n, (number, amount, history, close, probability, ref, customer, title, currency,
            owner, source, campaign, lost, lead, order, notes) in enumerate(columns):
        deals.append(Deal(
            number=number, customer=customer, title=title, amount=Decimal(amount),
            currency=currency, history=tuple(map(changes.__getitem__, history)),
            owner=owner, source=source, campaign=campaign, lines=lines.get(n, ()),
            expected_close=None if close is None else dates[close] if close in dates
            else dates.setdefault(close, dt.date.fromordinal(close)),
            probability=None if probability is None else Decimal(probability),
            lost_reason=lost, order=order, lead=lead, notes=notes,
            ref=None if ref is None else SourceRef(*ref)))
    return deals


def _from_data(payload: dict[str, Any]) -> tuple[Crm, list[Problem]] | None:
    try:
        stages, monthly, targets, sla, where = payload["settings"]
        settings = CrmSettings(
            stages=tuple(Stage(n, Decimal(p)) for n, p in stages),
            monthly_target=None if monthly is None else Decimal(monthly),
            targets={m: Decimal(v) for m, v in targets.items()},
            sla={p: (int(a), int(b)) for p, (a, b) in sla.items()},
            source=None if where is None else SourceRef(*where))
        day = dt.date.fromordinal
        leads = tuple(Lead(number=n, name=name, created=day(created), company=company,
                           email=email, phone=phone, source=source, campaign=campaign,
                           owner=owner, converted=converted, deal=deal,
                           disqualified=disqualified, notes=notes,
                           ref=None if ref is None else SourceRef(*ref))
                      for (n, name, created, company, email, phone, source, campaign, owner,
                           converted, deal, disqualified, notes, ref) in payload["leads"])
        deals = _deals_from_columns(payload["deals"])
        activities = tuple(Activity(
            number=n, kind=kind, date=day(d), subject=subject, customer=customer, lead=lead,
            deal=deal, ticket=ticket, contact=contact, owner=owner, due=_unday(due),
            done=_unday(done), notes=notes, ref=None if ref is None else SourceRef(*ref))
            for (n, kind, d, subject, customer, lead, deal, ticket, contact, owner, due, done,
                 notes, ref) in payload["activities"])
        tickets = tuple(Ticket(
            number=n, customer=customer, subject=subject, priority=priority,
            opened=dt.datetime.fromisoformat(opened), assignee=assignee,
            responded=_unstamp(responded), closed=_unstamp(closed), resolution=resolution,
            notes=notes, ref=None if ref is None else SourceRef(*ref))
            for (n, customer, subject, priority, opened, assignee, responded, closed,
                 resolution, notes, ref) in payload["tickets"])
        problems = [cache.data_to_problem(p) for p in payload["problems"]]
    except (KeyError, TypeError, ValueError, IndexError, ArithmeticError):
        return None
    return Crm(settings=settings, leads=leads, deals=tuple(deals), activities=activities,
               tickets=tickets), problems

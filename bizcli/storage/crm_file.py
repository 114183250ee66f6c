"""Read and write ``crm/deals.yaml`` and the ``crm:`` part of ``biz.yaml``.

bizcli writes the deals file itself, deterministically: leads then deals, each by
number, keys in a fixed order, one history line per stage change (``2026-10-02 won``),
so that ``git diff`` after a command shows the one line it added.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

import yaml

from bizcli.core.crm.activities import KINDS, PRIORITIES, Activity, Ticket
from bizcli.core.crm.deals import (
    DEFAULT_STAGES,
    LOST,
    TERMINAL,
    WON,
    CrmSettings,
    Deal,
    DealLine,
    Lead,
    Stage,
    StageChange,
)
from bizcli.core.problems import Problem
from bizcli.core.source import SourceRef
from bizcli.storage.book_files import dump_yaml
from bizcli.storage.yaml_reader import Fields, YamlFile

DEALS_FILE = "crm/deals.yaml"
ACTIVITIES_FILE = "crm/activities.yaml"
TICKETS_FILE = "crm/tickets.yaml"
STAGE_NAME = re.compile(r"[a-z][a-z0-9_-]{0,29}")
_HISTORY = re.compile(r"(\d{4}-\d{2}-\d{2}) +(\S+)")
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
_DEAL_KEYS = ("number", "customer", "title", "owner", "source", "campaign", "amount",
              "currency", "expected_close", "probability", "lines", "history", "lost_reason",
              "order", "lead", "notes")
_LEAD_KEYS = ("number", "name", "company", "email", "phone", "source", "campaign", "owner",
              "created", "converted", "deal", "disqualified", "notes")


# --- settings ------------------------------------------------------------------------

def read_crm_settings(path: str, text: str) -> tuple[CrmSettings, list[Problem]]:
    """The ``crm:`` mapping of ``biz.yaml`` (defaults for what it leaves out)."""
    file = YamlFile(path, text)
    top = file.document()
    crm = top.mapping("crm") if top is not None else None
    if crm is None:
        return CrmSettings(), file.problems
    crm.unknown_keys({"stages", "monthly_target", "targets", "sla"})
    stages = _stages(file, crm)
    monthly = _percentless(file, crm, "monthly_target")
    targets: dict[str, Decimal] = {}
    fields = crm.mapping("targets")
    if fields is not None:
        for month in fields.values:
            value = _percentless(file, fields, month)
            if not _MONTH.fullmatch(month):
                file.problem(fields.key_node(month), "bad-value", f"target month {month!r} "
                             "must be written YYYY-MM", "e.g. 2026-11: 25000")
            elif value is not None:
                targets[month] = value
    return CrmSettings(stages=stages, monthly_target=monthly, targets=targets,
                       sla=_sla(file, crm), source=SourceRef(
                           path, crm.node.start_mark.line + 1, crm.node.end_mark.line + 1)
                       ), file.problems


def _percentless(file: YamlFile, fields: Fields, key: str) -> Decimal | None:
    value = fields.decimal(key)
    if value is not None and value < 0:
        file.problem(fields.values[key], "bad-number", f"{key} cannot be negative",
                     "write an amount of 0 or more")
        return None
    return value


def _stages(file: YamlFile, crm: Fields) -> tuple[Stage, ...]:
    nodes = crm.sequence("stages")
    if not nodes:
        if "stages" in crm.values:
            file.problem(crm.values["stages"], "bad-stages", "the stage list is empty",
                         "list the open stages in order: - {name: new, probability: 10}")
        return DEFAULT_STAGES
    stages: list[Stage] = []
    for node in nodes:
        entry = Fields.of(file, node, "a stage")
        if entry is None:
            continue
        entry.unknown_keys({"name", "probability"})
        name, probability = entry.text("name", required=True), entry.decimal(
            "probability", required=True)
        if name is None or probability is None:
            continue
        if not STAGE_NAME.fullmatch(name) or name in TERMINAL:
            file.problem(entry.values["name"], "bad-stages", f"{name!r} cannot be a stage name"
                         + (" (won and lost always close the pipeline)" if name in TERMINAL
                            else ""), "use lower-case letters, digits, - and _")
        elif name in {s.name for s in stages}:
            file.problem(entry.values["name"], "bad-stages", f"stage {name!r} is listed twice",
                         "keep one of them")
        elif not 0 <= probability <= 100:
            file.problem(entry.values["probability"], "bad-stages", f"the probability of "
                         f"{name} must be 0 to 100 (percent), not {probability}",
                         "e.g. probability: 25")
        else:
            stages.append(Stage(name, probability))
    return tuple(stages) or DEFAULT_STAGES


def _sla(file: YamlFile, crm: Fields) -> dict[str, tuple[int, int]]:
    fields = crm.mapping("sla")
    if fields is None:
        return {}
    fields.unknown_keys(set(PRIORITIES))
    out = {}
    for priority in PRIORITIES:
        entry = fields.mapping(priority)
        if entry is None:
            continue
        entry.unknown_keys({"response_hours", "resolution_hours"})
        response = entry.integer("response_hours", required=True)
        resolution = entry.integer("resolution_hours", required=True)
        if response is None or resolution is None:
            continue
        if not 0 < response <= resolution:
            file.problem(entry.node, "bad-value", f"the {priority} SLA needs 0 < "
                         "response_hours <= resolution_hours",
                         "e.g. {response_hours: 4, resolution_hours: 24}")
            continue
        out[priority] = (response, resolution)
    return out


# --- deals and leads -----------------------------------------------------------------

def read_deals(path: str, text: str, currency: str, crm: CrmSettings
               ) -> tuple[list[Lead], list[Deal], list[Problem]]:
    """Parse the deals file; every bad value is a problem with its line."""
    file = YamlFile(path, text)
    top = file.document()
    if top is None:
        return [], [], file.problems
    top.unknown_keys({"schema", "leads", "deals"})
    leads = []
    for node in top.sequence("leads"):
        entry = Fields.of(file, node, "a lead")
        if entry is not None:
            entry.unknown_keys(set(_LEAD_KEYS))
            lead = _lead(entry)
            if lead is not None:
                leads.append(lead)
    deals = []
    for node in top.sequence("deals"):
        entry = Fields.of(file, node, "a deal")
        if entry is not None:
            entry.unknown_keys(set(_DEAL_KEYS))
            deal = _deal(file, entry, currency, crm)
            if deal is not None:
                deals.append(deal)
    return leads, deals, [*file.problems, *_duplicates(leads, "lead", code="duplicate-lead"),
                          *_duplicates(deals, "deal", code="duplicate-deal")]


def _duplicates(records: Sequence[Lead | Deal | Activity | Ticket], what: str, *, code: str
                ) -> list[Problem]:
    seen: dict[str, SourceRef | None] = {}
    out = []
    for record in records:
        if record.number in seen:
            first = seen[record.number]
            out.append(Problem(code=code, source=record.ref,
                               message=f"{what} {record.number} is listed twice"
                               + (f" (first at line {first.line})" if first else ""),
                               hint="give one of them another number"))
        else:
            seen[record.number] = record.ref
    return out


def _lead(entry: Fields) -> Lead | None:
    number, name = entry.text("number", required=True), entry.text("name", required=True)
    created = entry.date("created", required=True)
    if number is None or name is None or created is None:
        return None
    text = entry.text
    return Lead(number=number, name=name, created=created, company=text("company"),
                email=text("email"), phone=text("phone"), source=text("source"),
                campaign=text("campaign"), owner=text("owner"), converted=text("converted"),
                deal=text("deal"), disqualified=text("disqualified"), notes=text("notes"),
                ref=entry.source)


def _history(file: YamlFile, entry: Fields, crm: CrmSettings) -> list[StageChange] | None:
    changes: list[StageChange] = []
    known = set(crm.names)
    nodes = entry.sequence("history")
    if not nodes:
        file.problem(entry.node, "bad-deal-history", "the deal has no history",
                     "add 'history: [2026-11-02 new]': the day it was opened and its stage")
        return None
    for node in nodes:
        match = _HISTORY.fullmatch(node.value.strip()) if isinstance(
            node, yaml.ScalarNode) else None
        if match is None:
            file.problem(node, "bad-deal-history", "a history line must be 'YYYY-MM-DD stage'",
                         "e.g. - 2026-11-02 proposal")
            return None
        try:
            day = dt.date.fromisoformat(match.group(1))
        except ValueError:
            file.problem(node, "bad-date", f"{match.group(1)} is not a date on the calendar",
                         "check the month and the day")
            return None
        stage = match.group(2)
        if stage not in known:
            file.problem(node, "unknown-stage", f"{stage!r} is not a stage of this book",
                         "stages: " + ", ".join(crm.names) + " (biz.yaml crm: stages)")
            return None
        if changes and day < changes[-1].date:
            file.problem(node, "bad-deal-history", f"{day} is before the line above it "
                         f"({changes[-1].date}): the history is in date order",
                         "put the lines in date order")
            return None
        if changes and stage == changes[-1].stage:
            file.problem(node, "bad-deal-history", f"the deal is already {stage} on the "
                         "line above", "remove the repeated line")
            return None
        changes.append(StageChange(day, stage))
    return changes


def _deal_lines(file: YamlFile, entry: Fields) -> list[DealLine]:
    out = []
    for node in entry.sequence("lines"):
        line = Fields.of(file, node, "a deal line")
        if line is None:
            continue
        line.unknown_keys({"item", "quantity", "price"})
        item, quantity = line.text("item", required=True), line.decimal("quantity",
                                                                          required=True)
        price = line.decimal("price", required=True)
        if item is not None and quantity is not None and price is not None:
            if quantity <= 0 or price < 0:
                file.problem(line.node, "bad-number", "a deal line needs a quantity above 0 "
                             "and a price of 0 or more", "e.g. {item: TABLE-OAK, quantity: "
                             "'2', price: '1450'}")
            out.append(DealLine(item, quantity, price))
    return out


def _deal(file: YamlFile, entry: Fields, currency: str, crm: CrmSettings) -> Deal | None:
    number, customer = entry.text("number", required=True), entry.text("customer",
                                                                        required=True)
    title, amount = entry.text("title", required=True), entry.decimal("amount", required=True)
    probability = entry.decimal("probability")
    if probability is not None and not 0 <= probability <= 100:
        file.problem(entry.values["probability"], "bad-number", "probability is a percent "
                     f"from 0 to 100, not {probability}", "e.g. probability: '60'")
        probability = None
    if amount is not None and amount < 0:
        file.problem(entry.values["amount"], "bad-number", "a deal's amount cannot be "
                     "negative", "write the expected sale, e.g. amount: '4800.00'")
    history = _history(file, entry, crm)
    lines = _deal_lines(file, entry)
    lost_reason = entry.text("lost_reason")
    if history and history[-1].stage == LOST and not lost_reason:
        file.problem(entry.node, "missing-key", f"deal {number} is lost but has no "
                     "lost_reason", "add 'lost_reason: price' (why it was lost)")
    elif history and history[-1].stage != LOST and lost_reason:
        file.problem(entry.values["lost_reason"], "bad-value", f"deal {number} is not lost "
                     "but has a lost_reason", "remove it, or add a 'lost' history line")
    order = entry.text("order")
    if order and history and history[-1].stage != WON:
        file.problem(entry.values["order"], "bad-value", f"deal {number} has an order but is "
                     "not won", "remove 'order:', or add a 'won' history line")
    if number is None or customer is None or title is None or amount is None or not history:
        return None
    text = entry.text
    return Deal(number=number, customer=customer, title=title, amount=amount,
                currency=text("currency") or currency, history=tuple(history),
                owner=text("owner"), source=text("source"), campaign=text("campaign"),
                lines=tuple(lines), expected_close=entry.date("expected_close"),
                probability=probability, lost_reason=lost_reason, order=order,
                lead=text("lead"), notes=text("notes"), ref=entry.source)


def lead_data(lead: Lead) -> dict[str, object]:
    """A lead as the mapping written to the file."""
    values = {"number": lead.number, "name": lead.name, "company": lead.company,
              "email": lead.email, "phone": lead.phone, "source": lead.source,
              "campaign": lead.campaign, "owner": lead.owner,
              "created": lead.created.isoformat(), "converted": lead.converted,
              "deal": lead.deal, "disqualified": lead.disqualified, "notes": lead.notes}
    return {k: v for k, v in values.items() if v is not None}


def deal_data(deal: Deal) -> dict[str, object]:
    """A deal as the mapping written to the file (keys in the file's order)."""
    values: dict[str, object] = {
        "number": deal.number, "customer": deal.customer, "title": deal.title,
        "owner": deal.owner, "source": deal.source, "campaign": deal.campaign,
        "amount": f"{deal.amount}", "currency": deal.currency,
        "expected_close": deal.expected_close.isoformat() if deal.expected_close else None,
        "probability": f"{deal.probability}" if deal.probability is not None else None,
        "lines": [{"item": i, "quantity": f"{q}", "price": f"{p}"} for i, q, p in deal.lines]
        or None,
        "history": [f"{c.date.isoformat()} {c.stage}" for c in deal.history],
        "lost_reason": deal.lost_reason, "order": deal.order, "lead": deal.lead,
        "notes": deal.notes}
    return {k: v for k, v in values.items() if v is not None}


_HEADER = ("# Leads and deals, written by biz crm (edit with care: biz check validates).\n"
           "# A deal's history is append-only: one 'DATE stage' line per change.\n")


def write_deals(leads: Iterable[Lead], deals: Iterable[Deal]
                ) -> tuple[str, dict[str, int]]:
    """The whole deals file, and the line each lead and deal starts on (by number)."""
    pieces = [_HEADER, "schema: 1\n"]
    lines: dict[str, int] = {}
    at = _HEADER.count("\n") + 2
    sections: list[tuple[str, list[dict[str, object]]]] = [
        ("leads", [lead_data(r) for r in sorted(leads, key=lambda r: r.number)]),
        ("deals", [deal_data(r) for r in sorted(deals, key=lambda r: r.number)])]
    for key, records in sections:
        if not records:
            continue
        pieces.append(f"{key}:\n")
        at += 1
        for record in records:
            text = dump_yaml([record])
            lines[str(record["number"])] = at
            pieces.append(text)
            at += text.count("\n")
    return "".join(pieces), lines


# --- activities and tickets ------------------------------------------------------------

_ACTIVITY_KEYS = ("number", "kind", "date", "subject", "customer", "lead", "deal", "ticket",
                  "contact", "owner", "due", "done", "notes")
_TICKET_KEYS = ("number", "customer", "subject", "priority", "opened", "assignee",
                "responded", "closed", "resolution", "notes")
_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})[ T](\d{2}):(\d{2})")


def _records(path: str, text: str, key: str, what: str, allowed: Sequence[str]
             ) -> tuple[YamlFile, list[Fields]]:
    file = YamlFile(path, text)
    top = file.document()
    if top is None:
        return file, []
    top.unknown_keys({"schema", key})
    out = []
    for node in top.sequence(key):
        entry = Fields.of(file, node, what)
        if entry is not None:
            entry.unknown_keys(set(allowed))
            out.append(entry)
    return file, out


def read_activities(path: str, text: str) -> tuple[list[Activity], list[Problem]]:
    """Parse ``crm/activities.yaml``."""
    file, entries = _records(path, text, "activities", "an activity", _ACTIVITY_KEYS)
    found = []
    for entry in entries:
        number, kind = entry.text("number", required=True), entry.text("kind", required=True)
        day, subject = entry.date("date", required=True), entry.text("subject", required=True)
        if kind is not None and kind not in KINDS:
            file.problem(entry.values["kind"], "bad-value", f"{kind!r} is not an activity "
                         "kind", "use one of: " + ", ".join(KINDS))
            kind = None
        due, done = entry.date("due"), entry.date("done")
        if done is not None and due is None:
            file.problem(entry.values["done"], "bad-value", "only a follow-up (with a due "
                         "day) is marked done", "add 'due:' or remove 'done:'")
        if day is not None and done is not None and done < day:
            file.problem(entry.values["done"], "bad-date", f"done {done} is before the "
                         f"follow-up was planned ({day})", "fix one of the two dates")
        if number is None or kind is None or day is None or subject is None:
            continue
        text_of = entry.text
        found.append(Activity(
            number=number, kind=kind, date=day, subject=subject,
            customer=text_of("customer"), lead=text_of("lead"), deal=text_of("deal"),
            ticket=text_of("ticket"), contact=text_of("contact"), owner=text_of("owner"),
            due=due, done=done, notes=text_of("notes"), ref=entry.source))
    return found, [*file.problems, *_duplicates(found, "activity", code="duplicate-activity")]


def _time(file: YamlFile, entry: Fields, key: str, *, required: bool = False
          ) -> dt.datetime | None:
    found = entry.scalar(key, required=required)
    if found is None:
        return None
    value, node = found
    match = _TIME.fullmatch(value.strip())
    try:
        if match:
            return dt.datetime.fromisoformat(f"{match.group(1)} {match.group(2)}:"
                                             f"{match.group(3)}")
    except ValueError:
        pass
    file.problem(node, "bad-date", f"{key!r} must be a time 'YYYY-MM-DD HH:MM', not "
                 f"{value!r}", "e.g. '2026-11-02 09:30'")
    return None


def read_tickets(path: str, text: str) -> tuple[list[Ticket], list[Problem]]:
    """Parse ``crm/tickets.yaml``."""
    file, entries = _records(path, text, "tickets", "a ticket", _TICKET_KEYS)
    found = []
    for entry in entries:
        number, customer = entry.text("number", required=True), entry.text("customer",
                                                                            required=True)
        subject, priority = entry.text("subject", required=True), entry.text("priority",
                                                                              required=True)
        if priority is not None and priority not in PRIORITIES:
            file.problem(entry.values["priority"], "bad-value", f"{priority!r} is not a "
                         "priority", "use one of: " + ", ".join(PRIORITIES))
            priority = None
        opened = _time(file, entry, "opened", required=True)
        responded, closed = _time(file, entry, "responded"), _time(file, entry, "closed")
        for key, when in (("responded", responded), ("closed", closed)):
            if opened is not None and when is not None and when < opened:
                file.problem(entry.values[key], "bad-date", f"{key} {when:%Y-%m-%d %H:%M} "
                             f"is before the ticket was opened", "fix one of the two times")
        if number is None or customer is None or subject is None or priority is None or (
                opened is None):
            continue
        found.append(Ticket(number=number, customer=customer, subject=subject,
                            priority=priority, opened=opened,
                            assignee=entry.text("assignee"), responded=responded,
                            closed=closed, resolution=entry.text("resolution"),
                            notes=entry.text("notes"), ref=entry.source))
    return found, [*file.problems, *_duplicates(found, "ticket", code="duplicate-ticket")]


def _stamp(when: dt.datetime | None) -> str | None:
    return None if when is None else f"{when:%Y-%m-%d %H:%M}"


def activity_data(a: Activity) -> dict[str, object]:
    """An activity as the mapping written to the file."""
    values = {"number": a.number, "kind": a.kind, "date": a.date.isoformat(),
              "subject": a.subject, "customer": a.customer, "lead": a.lead, "deal": a.deal,
              "ticket": a.ticket, "contact": a.contact, "owner": a.owner,
              "due": a.due.isoformat() if a.due else None,
              "done": a.done.isoformat() if a.done else None, "notes": a.notes}
    return {k: v for k, v in values.items() if v is not None}


def ticket_data(t: Ticket) -> dict[str, object]:
    """A ticket as the mapping written to the file."""
    values = {"number": t.number, "customer": t.customer, "subject": t.subject,
              "priority": t.priority, "opened": _stamp(t.opened), "assignee": t.assignee,
              "responded": _stamp(t.responded), "closed": _stamp(t.closed),
              "resolution": t.resolution, "notes": t.notes}
    return {k: v for k, v in values.items() if v is not None}


def write_activities(activities: Iterable[Activity]) -> tuple[str, dict[str, int]]:
    """The whole activities file, and the line each activity starts on."""
    return _write_list("# Calls, emails, meetings, notes and follow-ups, written by biz crm.\n",
                       "activities", [activity_data(a) for a in
                                      sorted(activities, key=lambda a: a.number)])


def write_tickets(tickets: Iterable[Ticket]) -> tuple[str, dict[str, int]]:
    """The whole tickets file, and the line each ticket starts on."""
    return _write_list("# Service tickets, written by biz crm ticket.\n", "tickets",
                       [ticket_data(t) for t in sorted(tickets, key=lambda t: t.number)])


def _write_list(header: str, key: str, records: list[dict[str, object]]
                ) -> tuple[str, dict[str, int]]:
    pieces = [header, "schema: 1\n", f"{key}:\n"]
    at = header.count("\n") + 3
    lines = {}
    for record in records:
        text = dump_yaml([record])
        lines[str(record["number"])] = at
        pieces.append(text)
        at += text.count("\n")
    return "".join(pieces), lines

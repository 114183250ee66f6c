"""Sort every line of an hledger or ledger journal into what bizcli reads, drops or refuses.

``scan_journal`` walks one file line by line before the journal reader sees it. It
names each construct outside the subset bizcli reads (see docs/journal.md) with its
line, why bizcli does not read it and what to do instead; it drops what changes no
balance (comments outside entries, comment blocks, ``tag``/``payee``/``N``
declarations), and it collects ``include`` lines and the account types declared with
``account NAME  ; type:A``. The reader then parses the same lines, so a construct the
scan does not know is still reported by the reader, never read one way or another.

``plan_accounts`` decides the chart entries an adopted journal needs, each with its type.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from bizcli.core.ledger.accounts import Account, AccountType, Chart, parent_names
from bizcli.core.problems import Problem
from bizcli.core.source import SourceRef

CODE = "unsupported-syntax"

ROOT_TYPES: Mapping[str, AccountType] = {
    "asset": AccountType.ASSET, "assets": AccountType.ASSET,
    "liability": AccountType.LIABILITY, "liabilities": AccountType.LIABILITY,
    "equity": AccountType.EQUITY,
    "income": AccountType.INCOME, "revenue": AccountType.INCOME,
    "revenues": AccountType.INCOME,
    "expense": AccountType.EXPENSE, "expenses": AccountType.EXPENSE,
}
"""Top-level names whose type bizcli infers (compared without case)."""

_TYPE_TAGS: Mapping[str, tuple[AccountType, str | None]] = {
    "a": (AccountType.ASSET, None), "asset": (AccountType.ASSET, None),
    "c": (AccountType.ASSET, "cash"), "cash": (AccountType.ASSET, "cash"),
    "l": (AccountType.LIABILITY, None), "liability": (AccountType.LIABILITY, None),
    "e": (AccountType.EQUITY, None), "equity": (AccountType.EQUITY, None),
    "v": (AccountType.EQUITY, None), "conversion": (AccountType.EQUITY, None),
    "r": (AccountType.INCOME, None), "revenue": (AccountType.INCOME, None),
    "x": (AccountType.EXPENSE, None), "expense": (AccountType.EXPENSE, None),
}
"""hledger's account types (``type:`` tags) as bizcli types and subtypes."""

_EXPRESSION = ("value expression", "bizcli does not evaluate ledger's expressions",
               "remove it, and write out as amounts whatever it computed")
_TIMECLOCK = ("timeclock entry", "a time log is not a double-entry transaction",
              "keep time logs in their own .timeclock file, out of the books")
_APPLY = ("'apply' block",
          ("it changes the entries that follow it (their accounts, tags or prices) as "
           "the file is read"),
          ("write the full account names and tags into each entry ('hledger print' "
           "shows them), then remove the apply and end lines"))
_CHECK = ("ledger check",
          "bizcli does not evaluate ledger's expressions, so it cannot make the check",
          "remove it; 'biz check' checks the balances and every balance assertion")
_ALIAS = ("account alias",
          ("it renames accounts as the file is read; bizcli reads account names as they "
           "are written"),
          ("rename the accounts in the file ('hledger print --alias' prints the renamed "
           "entries), then remove the alias"))
_YEAR = ("default year", "bizcli needs the year in every date",
         "write every date in full (YYYY-MM-DD), then remove the line")
_DEFAULT_COMMODITY = ("default commodity",
                      ("it gives a commodity to numbers written without one; bizcli "
                       "needs the commodity on every amount"),
                      "write the commodity on every amount, then remove the line")
_CONVERSION = ("commodity conversion",
               "ledger converts one commodity into another as it reads the file",
               "write the converted amounts, then remove the line")
_BUCKET = ("default account",
           "it fills in the balancing posting of entries that have only one",
           "write the balancing posting into each entry")
_DECIMAL_MARK = ("decimal-mark directive",
                 "bizcli reads '.' as the decimal mark and no digit-group marks",
                 "write numbers like 1234.56, then remove it")

DIRECTIVES: Mapping[str, tuple[str, str, str]] = {
    "alias": _ALIAS, "apply": _APPLY, "end": _APPLY, "Y": _YEAR, "D": _DEFAULT_COMMODITY,
    "C": _CONVERSION, "bucket": _BUCKET, "decimal-mark": _DECIMAL_MARK,
    "define": _EXPRESSION, "def": _EXPRESSION, "eval": _EXPRESSION, "expr": _EXPRESSION,
    "value": _EXPRESSION, "python": _EXPRESSION, "import": _EXPRESSION,
    "assert": _CHECK, "check": _CHECK,
    "i": _TIMECLOCK, "o": _TIMECLOCK, "I": _TIMECLOCK, "O": _TIMECLOCK, "b": _TIMECLOCK,
    "h": _TIMECLOCK,
}
"""Directives outside the subset: construct, why bizcli does not read it, what to do."""

DIRECTIVES_ALIASES: Mapping[str, str] = {"year": "Y", "A": "bucket"}

DROPPED_DIRECTIVES: Mapping[str, str] = {
    "tag": "tag declaration", "payee": "payee declaration", "N": "N (no market price)",
}
"""Directives that change no balance: dropped, with a note."""

_BLOCKS = {"comment": "end comment", "test": "end test"}
_CONFLICT = ("<<<<<<<", ">>>>>>>", "=======", "|||||||")
_DATE_NO_YEAR = re.compile(r"\d{1,2}[-/.]\d{1,2}(?=[\s=*!;(]|$)")
_DOTTED_DATE = re.compile(r"\d{4}\.\d{1,2}\.\d{1,2}")
_POSTING_DATE = re.compile(r"\[=?\d{2,4}[-/.]\d{1,2}(?:[-/.]\d{1,2})?"
                           r"(?:=\d{2,4}[-/.]\d{1,2}(?:[-/.]\d{1,2})?)?\]")
_DATE_TAG = re.compile(r"(?:^|[\s,])(date2?):")
_TYPED_TAG = re.compile(r"(?:^|\s)[\w-]+::")
_TYPE_TAG = re.compile(r"(?:^|[\s,])type:\s*([^\s,]*)")
_BARE_NUMBER = re.compile(r"[-+]?[\d.,]*\d[\d.,]*")
_SPACED_SYMBOL = re.compile(r"-?[^\d\s\-+.,;@=()\"'*{}\[\]]+ +-?\d")


@dataclass(frozen=True, slots=True)
class Dropped:
    """A construct left out of the book because it changes no balance."""

    what: str
    source: SourceRef


class DeclaredType(NamedTuple):
    """An account type given in the file: ``account assets:bank  ; type:C``."""

    type: AccountType
    subtype: str | None
    source: SourceRef


@dataclass(slots=True)
class JournalScan:
    """What the scan found in one file, and the text the reader should parse."""

    path: str
    text: str = ""
    problems: list[Problem] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    includes: list[tuple[str, SourceRef]] = field(default_factory=list)
    types: dict[str, DeclaredType] = field(default_factory=dict)
    commodities: dict[str, int] = field(default_factory=dict)
    """Precision declared per commodity; -1 for a commodity declared without a sample."""


class _Scanner:
    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.lines = text.split("\n")
        self.out = JournalScan(path=path)

    def ref(self, index: int) -> SourceRef:
        return SourceRef(self.path, index + 1)

    def refuse(self, index: int, construct: str, why: str, fix: str) -> None:
        self.out.problems.append(Problem(
            code=CODE, message=f"{construct} — {why}", hint=fix,
            excerpt=(self.lines[index],), source=self.ref(index)))

    def drop(self, index: int, what: str) -> None:
        self.out.dropped.append(Dropped(what, self.ref(index)))

    def run(self) -> JournalScan:
        i, count = 0, len(self.lines)
        while i < count:
            line = self.lines[i]
            if not line.strip() or line.startswith(_CONFLICT) or line[0] in " \t":
                i += 1  # blank; a merge conflict or a stray indented line: the reader's
            elif line[0] in ";#*":
                self.drop(i, "comment line")
                i += 1
            elif line[0] in "%|":
                self.drop(i, "comment line")
                self.lines[i] = ""
                i += 1
            elif line[0].isdigit():
                i = self.transaction(i)
            elif line[0] == "~":
                self.refuse(i, "periodic transaction (~)", "it is a rule for entries "
                            "hledger generates on request (budgets, forecasts), not an entry",
                            "write the entries it stands for as ordinary dated entries, or "
                            "remove it")
                i = self.indented_end(i + 1)
            elif line[0] == "=":
                self.refuse(i, "automated transaction (=)", "it adds postings to every "
                            "entry it matches; ledger always applies it, hledger only with "
                            "--auto", "write the postings it adds into each entry "
                            "('hledger print --auto' prints them), then remove it")
                i = self.indented_end(i + 1)
            else:
                i = self.directive(i)
        self.out.text = "\n".join(self.lines)
        return self.out

    def indented_end(self, i: int) -> int:
        """The index after the indented, non-blank lines that start at ``i``."""
        while i < len(self.lines) and self.lines[i][:1] in (" ", "\t") and self.lines[i].strip():
            i += 1
        return i

    # -- transactions -----------------------------------------------------------
    def transaction(self, i: int) -> int:
        header = self.lines[i]
        first = header.split()[0]
        if _DOTTED_DATE.match(header):
            self.refuse(i, f"date {first!r}", "bizcli reads dates written YYYY-MM-DD or "
                        "YYYY/MM/DD", "write the date as YYYY-MM-DD")
        elif _DATE_NO_YEAR.match(header):
            self.refuse(i, f"date without a year {first!r}", "hledger and ledger take the "
                        "year from a Y directive or from today; bizcli needs it in every "
                        "date", "write the date in full, YYYY-MM-DD")
        elif re.match(r"\S+=", header):
            self.refuse(i, f"secondary date {first!r}", "bizcli keeps one date per entry "
                        "(hledger and ledger use the first by default)",
                        "remove '=' and the second date (or move it into a comment)")
        j = i + 1
        posted = False
        while j < len(self.lines) and self.lines[j][:1] in (" ", "\t") and self.lines[j].strip():
            stripped = self.lines[j].strip()
            if stripped.startswith(";"):
                self.comment_in_entry(j, stripped[1:], posting=posted)
            else:
                posted = True
                self.posting(j, stripped)
            j += 1
        return j

    def comment_in_entry(self, j: int, comment: str, *, posting: bool) -> None:
        if _TYPED_TAG.search(comment):
            self.refuse(j, "typed metadata (KEY:: VALUE)", "ledger evaluates the value as "
                        "an expression; bizcli reads tags as text", "write 'KEY: VALUE'")
        if not posting:
            return
        date = _POSTING_DATE.search(comment)
        tag = _DATE_TAG.search(comment)
        secondary = (date is not None and date.group(0).startswith("[=")) or (
            tag is not None and tag.group(1) == "date2")
        if date is not None:
            shown = f"posting {'secondary ' if secondary else ''}date {date.group(0)}"
        elif tag is not None:
            shown = f"posting {'secondary ' if secondary else ''}date ({tag.group(1)}: tag)"
        else:
            return
        if secondary:
            self.refuse(j, shown, "it gives this posting a second date; bizcli keeps one "
                        "date per entry", "remove it, or move the date into a plain comment")
        else:
            self.refuse(j, shown, "hledger and ledger date this posting apart from its "
                        "entry; bizcli dates whole entries",
                        "split the entry into one entry per date, or remove the posting date")

    def posting(self, j: int, stripped: str) -> None:
        body, _, comment = stripped.partition(";")
        if comment:
            self.comment_in_entry(j, comment, posting=True)
        body = body.rstrip()
        if body[:2] in ("* ", "! "):
            body = body[2:].lstrip()
        account, amount = _split_posting(body)
        if account[:1] == "(" and account[-1:] == ")":
            self.refuse(j, f"virtual posting {account}", "it need not balance, so it is "
                        "not double-entry", "post to a real account with a balancing "
                        "posting, or remove the line")
        elif account[:1] == "[" and account[-1:] == "]":
            self.refuse(j, f"balanced virtual posting {account}", "it balances only with "
                        "the other [ ] postings, outside double entry",
                        "post to a real account, or remove the line")
        if amount:
            self.amount(j, amount)

    def amount(self, j: int, text: str) -> None:
        value, eq, asserted = text.partition("=")
        value = value.strip()
        operator = eq + asserted[: len(asserted) - len(asserted.lstrip("=*"))]
        if operator not in ("", "="):
            self.refuse(j, f"balance assertion {operator}", "bizcli checks only '=', "
                        "on one account's own balance in one commodity",
                        "assert each subaccount with '=', or remove the assertion")
        elif eq and not value:
            self.refuse(j, "balance assignment", "the amount would be computed from the "
                        "balance", "write the posting's amount ('hledger print -x' shows "
                        "it), and keep '= BALANCE' as an assertion if you like")
        elif "@" in asserted:
            self.refuse(j, "cost in a balance assertion", "bizcli asserts an amount, "
                        "without a cost", "remove the '@ ...' after the asserted amount")
        if "{" in value:
            self.refuse(j, "lot price {...}", "hledger and ledger read lot prices "
                        "differently (ledger balances the entry at the lot price, hledger "
                        "ignores it)", "write the cost with @ or @@ instead")
        elif "(" in value:
            self.refuse(j, "expression or lot note (...) in an amount", "bizcli does not "
                        "evaluate ledger's expressions", "write the amount it comes to")
        elif "[" in value:
            self.refuse(j, "lot date [...]", "bizcli does not track lots",
                        "remove the lot date")
        elif _SPACED_SYMBOL.match(value) and not re.match(r"-?\d", value):
            self.refuse(j, f"space after the commodity symbol in {value.split('@')[0].strip()!r}",
                        "bizcli reads a symbol written before the number only when it "
                        "touches it", "write it without the space, e.g. $37.50 or -$37.50")
        for part in (value.split("@")[0], value.partition("@")[2].lstrip("@"),
                     asserted.lstrip("=*")):
            if _BARE_NUMBER.fullmatch(part.strip()):
                self.refuse(j, f"amount without a commodity {part.strip()!r}", "hledger and "
                            "ledger give it the default commodity (D), or none; bizcli needs "
                            "one on every amount", "write the commodity, e.g. "
                            f"{part.strip()} USD or ${part.strip()}")
                break

    # -- directives -------------------------------------------------------------
    def directive(self, i: int) -> int:
        line = self.lines[i]
        word, _, rest = line.rstrip().partition(" ")
        word = word.split("\t")[0]
        if re.fullmatch(r"Y\d{4}", word):
            word = "Y"
        word = DIRECTIVES_ALIASES.get(word, word)
        if word in _BLOCKS:
            return self.block(i, _BLOCKS[word])
        if word == "account":
            return self.account(i, rest)
        if word == "commodity":
            return self.commodity(i)
        if word == "include":
            return self.include(i, rest)
        if word == "P":
            return self.price(i)
        if word in DROPPED_DIRECTIVES:
            self.drop(i, DROPPED_DIRECTIVES[word])
            end = self.subdirectives(i + 1, word, refuse=True)
            self.lines[i:end] = [""] * (end - i)
            return end
        if word.startswith("--"):
            self.refuse(i, f"option {word}", "bizcli takes no options from a journal file",
                        "remove the line")
        elif word in DIRECTIVES:
            construct, why, fix = DIRECTIVES[word]
            self.refuse(i, f"{construct} ({line.strip()[:40]})", why, fix)
        else:
            self.refuse(i, f"directive {word!r}", "bizcli reads only the account, "
                        "commodity, P and include directives (it drops tag, payee and N)",
                        "remove it, or write what it does into the entries")
        return self.indented_end(i + 1)

    def price(self, i: int) -> int:
        if re.match(r"P\s+\S+\s+\d{1,2}:\d{2}", self.lines[i]):
            self.refuse(i, "time of day in a P directive", "bizcli reads one price per "
                        "commodity and date", "remove the time, keep the date")
        return self.indented_end(i + 1)

    def block(self, i: int, end: str) -> int:
        j = i + 1
        while j < len(self.lines) and self.lines[j].strip() != end:
            j += 1
        self.drop(i, "comment block")
        for k in range(i, min(j + 1, len(self.lines))):
            self.lines[k] = ""
        return j + 1

    def subdirectives(self, i: int, word: str, *, refuse: bool,
                      allowed: Iterable[str] = ()) -> int:
        end = self.indented_end(i)
        for j in range(i, end):
            sub = self.lines[j].strip()
            key = sub.split(maxsplit=1)[0] if sub else ""
            if sub.startswith(";") or key in allowed or not refuse:
                continue
            self.refuse(j, f"'{key}' under a {word} directive", "it changes or checks the "
                        "entries in a way bizcli does not reproduce", "remove the line")
        return end

    def account(self, i: int, rest: str) -> int:
        name, _, comment = rest.partition(";")
        name = name.strip()
        if "  " in name or "\t" in name:
            self.refuse(i, f"text after the account name {name.split()[0]!r}",
                        "bizcli reads everything up to a ';' comment as the account name",
                        "put a comment after ';', e.g. 'account assets  ; type:A'")
        self.type_tag(i, name, comment)
        end = self.indented_end(i + 1)
        for j in range(i + 1, end):
            sub = self.lines[j].strip()
            if sub.startswith(";"):
                self.type_tag(j, name, sub[1:])
        self.subdirectives(i + 1, "account", refuse=True, allowed=("note",))
        return end

    def type_tag(self, i: int, name: str, comment: str) -> None:
        match = _TYPE_TAG.search(comment)
        if match is None or not name:
            return
        found = _TYPE_TAGS.get(match.group(1).lower())
        if found is None:
            self.refuse(i, f"account type {match.group(1)!r}", "it is not one of hledger's "
                        "account types", "use A, L, E, R, X, C or V (asset, liability, "
                        "equity, revenue, expense, cash, conversion)")
            return
        self.out.types[name] = DeclaredType(found[0], found[1], self.ref(i))

    def commodity(self, i: int) -> int:
        """Record the commodity's precision, then hide the lines from the reader.

        The sample only sets how amounts are shown: hledger's ``commodity $1000.`` and
        a sample with digit-group marks are fine here, as bizcli writes its own.
        """
        end = self.indented_end(i + 1)
        sample = _strip_comment(self.lines[i])[len("commodity"):].strip()
        for j in range(i + 1, end):
            sub = self.lines[j].split()
            if sub[0] == "alias":
                self.refuse(j, "commodity alias", "ledger reads amounts of the alias as "
                            "this commodity", "write the commodity's own symbol on those "
                            "amounts, then remove the alias")
            elif sub[0] == "format":
                sample = _strip_comment(self.lines[j]).strip()[len("format"):].strip()
        symbol, places = commodity_format(sample)
        if symbol:
            self.out.commodities[symbol] = places
        self.lines[i:end] = [""] * (end - i)
        return end

    def include(self, i: int, rest: str) -> int:
        target = rest.split(";", maxsplit=1)[0].strip()
        if re.match(r"[a-z]+:", target) and not re.match(r"[A-Za-z]:[\\/]", target):
            self.refuse(i, f"include of {target!r} in another format", "hledger converts "
                        "such files (CSV, timeclock, timedot) as it reads them",
                        "convert it to journal entries with 'hledger print' and include "
                        "the result")
        elif target:
            self.out.includes.append((target, self.ref(i)))
        return self.indented_end(i + 1)


_SAMPLE = re.compile(r"(-?)\s*([^\d\s.,\-+]*)\s*(-?)\s*(\d[\d.,' ]*)\s*([^\d\s.,\-+]*)")


def commodity_format(sample: str) -> tuple[str, int]:
    """Symbol and decimal places of a commodity directive's sample (-1: no number)."""
    match = _SAMPLE.fullmatch(sample.strip())
    if match is None:
        return sample.strip().strip('"'), -1
    prefix, number, suffix = match.group(2), match.group(4).rstrip(" "), match.group(5)
    symbol = (prefix or suffix).strip('"')
    marks = [ch for ch in number if ch in ".,"]
    if not marks or (len(marks) > 1 and len(set(marks)) == 1):
        return symbol, 0
    return symbol, len(number) - number.rindex(marks[-1]) - 1


def _strip_comment(text: str) -> str:
    at = text.find(";")
    return text if at < 0 else text[:at]


def _split_posting(body: str) -> tuple[str, str]:
    """Account and amount text of a posting line (two spaces or a tab between them)."""
    match = re.search(r"  |\t", body)
    if match is None:
        return body, ""
    return body[: match.start()], body[match.end():].strip()


def scan_journal(path: str, text: str) -> JournalScan:
    """Classify every line of ``text``; ``path`` is the name used in every problem."""
    return _Scanner(path, text).run()


def root_type(name: str) -> AccountType | None:
    """The type bizcli infers from an account's top-level name, if any."""
    return ROOT_TYPES.get(name.split(":", maxsplit=1)[0].lower())


class NewAccount(NamedTuple):
    """An account the adoption adds to the chart, its resolved type and where that comes from."""

    account: Account
    type: AccountType
    reason: str


def plan_accounts(used: Mapping[str, SourceRef | None], declared: Mapping[str, DeclaredType],
                  chart: Chart) -> tuple[list[NewAccount], list[Problem]]:
    """Chart entries for every account of ``used`` that the chart lacks.

    A type comes from the chart (a listed ancestor), else from a ``type:`` declaration
    in the file, else from the top-level name, whose account is added with the type so
    that its subaccounts inherit it. An account whose type none of these gives is
    reported once per top-level name (``untyped-account``).
    """
    types: dict[str, AccountType] = dict(chart.types)
    added: list[NewAccount] = []
    orphans: dict[str, list[str]] = {}
    for name in sorted(set(used) - set(chart.types)):
        inherited = next((types[p] for p in parent_names(name) if p in types), None)
        mine = declared.get(name)
        if mine is not None:
            explicit = None if mine.type is inherited else mine.type
            added.append(NewAccount(Account(name=name, type=explicit, subtype=mine.subtype),
                                    mine.type, f"type declared at {mine.source}"))
            types[name] = mine.type
            continue
        if inherited is not None:
            parent = next(p for p in parent_names(name) if p in types)
            added.append(NewAccount(Account(name=name), inherited, f"from {parent}"))
            types[name] = inherited
            continue
        root = name.split(":")[0]
        kind = root_type(root)
        if kind is None:
            orphans.setdefault(root, []).append(name)
            continue
        added.append(NewAccount(Account(name=root, type=kind), kind, "from the name"))
        types[root] = kind
        if root != name:
            added.append(NewAccount(Account(name=name), kind, f"from {root}"))
            types[name] = kind
    problems = [_untyped_root(root, names, used) for root, names in orphans.items()]
    return added, problems


def _untyped_root(root: str, names: list[str], used: Mapping[str, SourceRef | None]
                  ) -> Problem:
    first = min(names, key=lambda n: _order(used.get(n)))
    more = f" and {len(names) - 1} more" if len(names) > 1 else ""
    argument = f'"{root}"' if re.search(r"[\s'\"$&;|<>()*?\\]", root) else root
    return Problem(
        code="untyped-account", source=used.get(first),
        message=f"the top-level account {root!r} ({first}{more}) has no type: bizcli infers "
                "one only from assets, liabilities, equity, income, revenues and expenses",
        hint=f"declare it first with 'biz account add {argument} --type asset' (or liability, "
             f"equity, income, expense), or in the file: 'account {root}  ; type:A'")


def _order(source: SourceRef | None) -> tuple[str, int]:
    return ("", 0) if source is None else (source.path, source.line)

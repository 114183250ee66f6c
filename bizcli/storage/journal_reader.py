"""Read the journal subset that hledger and ledger both understand the same way.

Everything outside the subset is a problem with file:line, never a silent misread:
``1,000 USD`` (hledger and ledger disagree on ``,``), a tab before an amount, a
one-space ``;`` comment, virtual postings, balance assignments, periodic and automated
transactions, and directives other than account/commodity/tag/payee/include/P.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from bizcli.core.ledger.transactions import Cost, Posting, Price, Status, Tag, Transaction
from bizcli.core.money import Amount
from bizcli.core.problems import Problem
from bizcli.core.source import SourceRef

_HEADER = re.compile(
    r"(\d{4})([-/])(\d{1,2})\2(\d{1,2})(?=[\s=]|$)"   # date, one separator style
    r"(?:\s+([*!]))?"                             # status
    r"(?:\s+\(([^)]*)\))?"                        # (code)
    r"(.*)$"
)
_AMOUNT = re.compile(
    r"(-)?([^\d\s\-+.,;@=()\"'*]+)?(-)?(\d+(?:\.\d+)?)(?:\s?([^\d\s\-+.,;@=()\"'*]+))?$"
)
# An amount glued to an account by one space: "Cash 10.00", "Cash $10", "Cash 10 USD".
# A bare integer ("Region 01") is a legitimate end of an account name.
_TRAILING_AMOUNT = re.compile(
    r" (-?[$€£¥]?-?\d+\.\d+(?: [A-Z]{3})?|-?[$€£¥]-?\d+(?:\.\d+)?|-?\d+(?:\.\d+)? [A-Z]{3})$")
_DIGITS = frozenset("0123456789")
_NUMBER_CHARS = "0123456789.-"
# Values are built with tuple.__new__, skipping NamedTuple's Python-level __new__: the
# parser builds millions of them on a large book, and this halves the cost.
_new = tuple.__new__
_TAG = re.compile(r"\s*([\w-]+):\s*(.*?)\s*$")
_STATUS = {"*": Status.CLEARED, "!": Status.PENDING, None: Status.UNMARKED, "": Status.UNMARKED}


@dataclass(slots=True)
class ParsedJournal:
    """What one journal file holds, before balancing."""

    path: str
    transactions: list[Transaction] = field(default_factory=list)
    accounts: list[tuple[str, SourceRef]] = field(default_factory=list)
    commodities: dict[str, int] = field(default_factory=dict)
    prices: list[Price] = field(default_factory=list)
    includes: list[tuple[str, SourceRef]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class _Reader:
    """A single pass over the lines of one file."""

    def __init__(self, path: str, text: str, first_line: int = 1) -> None:
        self.out = ParsedJournal(path=path)
        self.lines = text.split("\n")
        self.path = path
        self.offset = first_line - 1
        self.amount_cache: dict[str, Amount] = {}
        self.dates: dict[str, dt.date] = {}
        self.accounts_seen: dict[str, bool] = {}

    def problem(self, line: int, code: str, message: str, hint: str,
                end_line: int = 0) -> None:
        at = line - 1 - self.offset
        excerpt = (self.lines[at],) if 0 <= at < len(self.lines) else ()
        self.out.problems.append(Problem(
            code=code, message=message, hint=hint, excerpt=excerpt,
            source=SourceRef(self.path, line, end_line)))

    def run(self) -> ParsedJournal:
        lines = self.lines
        i, count = 0, len(lines)
        while i < count:
            line = lines[i]
            if not line or line[0] in ";#*" or line.isspace():
                i += 1
            elif line[0].isdigit():
                i = self.transaction(i)
            elif line[0] in " \t":
                self.problem(i + 1 + self.offset, "orphan-posting",
                             "an indented line that belongs to no transaction",
                             "put it under a date line, or remove the indentation")
                i += 1
            else:
                i = self.directive(i)
        return self.out

    # -- directives -------------------------------------------------------------
    def directive(self, i: int) -> int:
        line = self.lines[i].rstrip()
        word, _, rest = line.partition(" ")
        rest = _strip_comment(rest).strip()
        number = i + 1 + self.offset
        if word == "account" and rest:
            self.out.accounts.append((rest, SourceRef(self.path, number)))
        elif word == "commodity" and rest:
            return self.commodity(i, rest)
        elif word in {"tag", "payee"} and rest:
            pass
        elif word == "include" and rest:
            self.out.includes.append((rest, SourceRef(self.path, number)))
        elif word == "P" and rest:
            self.price(number, rest)
        else:
            self.unsupported(number, line)
        return self.skip_subdirectives(i + 1)

    def unsupported(self, number: int, text: str) -> None:
        if text.startswith(("<<<<<<<", ">>>>>>>", "=======", "|||||||")):
            self.problem(number, "conflict-marker", "a git conflict marker is in the file",
                         "resolve the merge conflict, then remove the marker lines")
            return
        if text.startswith(("~", "=")):
            what = "periodic transactions (~)" if text.startswith("~") else (
                "automated transactions (=)")
            self.problem(number, "unsupported-syntax",
                         f"{what} are outside the journal subset bizcli reads",
                         "write the generated entries out as ordinary transactions")
            return
        word = text.split(maxsplit=1)[0] if text.split() else text
        self.problem(number, "unsupported-syntax",
                     f"'{word}' is outside the journal subset bizcli reads",
                     "use account/commodity/tag/payee/include/P directives and "
                     "transactions; see docs/journal.md")

    def skip_subdirectives(self, i: int) -> int:
        while i < len(self.lines) and self.lines[i][:1] in (" ", "\t") and (
                self.lines[i].strip()):
            i += 1
        return i

    def commodity(self, i: int, rest: str) -> int:
        sample = rest
        j = i + 1
        while j < len(self.lines) and self.lines[j][:1] in (" ", "\t") and self.lines[j].strip():
            sub = _strip_comment(self.lines[j]).strip()
            key, _, value = sub.partition(" ")
            if key == "format":
                sample = value.strip()
            elif sub and key not in {"note", "alias", "default", "nomarket"}:
                self.problem(j + 1 + self.offset, "unsupported-syntax",
                             f"'{key}' under a commodity directive is outside the subset",
                             "keep only 'format' lines under 'commodity'")
            j += 1
        has_number = any(ch.isdigit() for ch in sample)
        amount = self.parse_amount(sample, i + 1 + self.offset) if has_number else None
        if amount is not None:
            exponent = amount.quantity.as_tuple().exponent
            places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
            self.out.commodities[amount.commodity] = places
        elif not any(ch.isdigit() for ch in sample):
            self.out.commodities.setdefault(sample, -1)
        return j

    def price(self, number: int, rest: str) -> None:
        parts = rest.split(None, 2)
        if len(parts) != 3:
            self.problem(number, "bad-price", "a P directive needs a date, a commodity and "
                         "a price", "write e.g. 'P 2026-01-31 EUR 1.08 USD'")
            return
        date = self.parse_date(parts[0], number)
        amount = self.parse_amount(parts[2], number)
        if date is not None and amount is not None:
            self.out.prices.append(Price(date, parts[1], amount, SourceRef(self.path, number)))

    # -- transactions -----------------------------------------------------------
    def transaction(self, i: int) -> int:
        number = i + 1 + self.offset
        header = self.lines[i]
        match = _HEADER.match(header)
        if match is None:
            self.problem(number, "bad-date", f"cannot read the date in {header.split()[0]!r}",
                         "write dates as YYYY-MM-DD")
            return self.skip_subdirectives(i + 1)
        year, _, month, day, mark, code, rest = match.groups()
        key = header[: match.end(4)]
        date = self.dates.get(key)
        if date is None:
            date = _make_date(int(year), int(month), int(day))
            if date is not None:
                self.dates[key] = date
        if date is None:
            self.problem(number, "bad-date",
                         f"{year}-{month}-{day} is not a date on the calendar",
                         "check the month and the day")
            return self.skip_subdirectives(i + 1)
        if rest.startswith("="):
            self.problem(number, "unsupported-syntax", "secondary dates (DATE=DATE2) are "
                         "outside the journal subset bizcli reads", "keep one date")
            return self.skip_subdirectives(i + 1)
        description, comment, ok = self.split_comment(rest, number)
        if not ok:
            return self.skip_subdirectives(i + 1)
        tags: list[Tag] = []
        comments: list[str] = []
        _note(comment, comments, tags)
        postings, j, failed = self.body(i + 1, comments, tags)
        if not failed:
            self.out.transactions.append(_new(Transaction, (
                date, description.strip(), tuple(postings), _STATUS[mark], code or "",
                "\n".join(comments) if comments else "", tuple(tags),
                _new(SourceRef, (self.path, number, j + self.offset)))))
        return j

    def body(self, j: int, comments: list[str], tags: list[Tag]
             ) -> tuple[list[Posting], int, bool]:
        """The indented lines under a date line: postings, and comments before them."""
        postings: list[Posting] = []
        failed = False
        lines = self.lines
        while j < len(lines):
            line = lines[j]
            if not line or line[0] not in " \t":
                break
            stripped = line.strip()
            if not stripped:
                break
            if stripped[0] == ";":
                text = stripped[1:].strip()
                if postings:
                    postings[-1] = _add_posting_comment(postings[-1], text)
                else:
                    _note(text, comments, tags)
            else:
                posting = self.posting(stripped, j + 1 + self.offset)
                if posting is None:
                    failed = True
                else:
                    postings.append(posting)
            j += 1
        return postings, j, failed

    def split_comment(self, rest: str, number: int) -> tuple[str, str, bool]:
        if ";" not in rest:
            return rest, "", True
        at = rest.index(";")
        if at > 0 and not rest[:at].endswith("  ") and rest[:at].strip():
            self.problem(number, "ambiguous-comment",
                         "a ';' after a single space: ledger reads it as part of the "
                         "description, hledger as a comment",
                         "put two spaces before ';', or move the comment to its own line")
            return rest, "", False
        return rest[:at], rest[at + 1:].strip(), True

    def posting(self, stripped: str, number: int) -> Posting | None:
        """One posting line; the common ``Account  -12.50 USD`` shape takes a fast path."""
        if "\t" not in stripped and ";" not in stripped and stripped[0] not in "*!([":
            account, _, rest = stripped.partition("  ")
            rest = rest.strip()
            number_text, space, commodity = rest.partition(" ")
            if (space and commodity.isalpha() and not number_text.strip(_NUMBER_CHARS)
                    and number_text[-1] in _DIGITS and number_text[number_text[0] == "-"]
                    in _DIGITS and self.plain_account(account)):
                try:
                    quantity = Decimal(number_text)
                except InvalidOperation:
                    return self.posting_in_full(stripped, number)
                amount = _new(Amount, (quantity, commodity))
                source = _new(SourceRef, (self.path, number, 0))
                return _new(Posting, (account, amount, None, None, Status.UNMARKED, "",
                                      (), source))
        return self.posting_in_full(stripped, number)

    def plain_account(self, account: str) -> bool:
        """True for a name with no amount glued to it; memoised, names repeat a lot."""
        known = self.accounts_seen.get(account)
        if known is None:
            known = self.accounts_seen[account] = " " not in account or (
                not _TRAILING_AMOUNT.search(account))
        return known

    def posting_in_full(self, stripped: str, number: int) -> Posting | None:
        """Any posting line of the subset: status, comments, costs, assertions, elisions."""
        if "\t" in stripped:
            self.problem(number, "tab-in-posting", "a tab inside a posting line: hledger "
                         "reads it as part of the account name, ledger as a separator",
                         "use two or more spaces between the account and the amount")
            return None
        comment = ""
        if ";" in stripped:
            at = stripped.index(";")
            if not stripped[:at].endswith("  "):
                self.problem(number, "ambiguous-comment", "a ';' after a single space in a "
                             "posting", "put two spaces before ';'")
                return None
            comment = stripped[at + 1:].strip()
            stripped = stripped[:at].rstrip()
        status = Status.UNMARKED
        if stripped[0] in "*!" and stripped[1:2] == " ":
            status = _STATUS[stripped[0]]
            stripped = stripped[2:].lstrip()
        account, sep, rest = stripped.partition("  ")
        if not self.valid_account(account, number):
            return None
        notes: list[str] = []
        found: list[Tag] = []
        _note(comment, notes, found)
        comment, tags = "\n".join(notes), tuple(found)
        if not sep:
            return Posting(account, None, None, None, status, comment, tags,
                           SourceRef(self.path, number))
        amounts = self.amount_part(rest.strip(), number)
        if amounts is None:
            return None
        amount, cost, assertion = amounts
        return Posting(account, amount, cost, assertion, status, comment, tags,
                       SourceRef(self.path, number))

    def valid_account(self, account: str, number: int) -> bool:
        if account[0] in "([" or account[-1] in ")]":
            self.problem(number, "unsupported-syntax", f"virtual posting {account!r} is "
                         "outside the journal subset", "post to a real account")
            return False
        trailing = _TRAILING_AMOUNT.search(account) if " " in account else None
        if trailing:
            self.problem(number, "single-space-amount",
                         f"only one space before {trailing.group(1)!r}: both hledger and "
                         "ledger would read it as part of the account name",
                         "put two or more spaces before the amount")
            return False
        return True

    def amount_part(self, text: str, number: int
                    ) -> tuple[Amount | None, Cost | None, Amount | None] | None:
        assertion = None
        if "=" in text:
            text, _, asserted = text.partition("=")
            if asserted.startswith(("=", "*")):
                self.problem(number, "unsupported-syntax", "total or inclusive balance "
                             "assertions (==, =*) are outside the subset",
                             "use a single '=' assertion on an account without subaccounts")
                return None
            text = text.strip()
            if not text:
                self.problem(number, "unsupported-syntax", "a balance assignment (= without "
                             "an amount) is outside the subset", "write the posting's amount")
                return None
            assertion = self.parse_amount(asserted.strip(), number)
            if assertion is None:
                return None
        cost = None
        if "@" in text:
            text, _, priced = text.partition("@")
            is_total = priced.startswith("@")
            price = self.parse_amount(priced.lstrip("@").strip(), number)
            if price is None:
                return None
            cost = Cost(price, is_total)
            text = text.strip()
        amount = self.parse_amount(text, number)
        if amount is None:
            return None
        return amount, cost, assertion

    def parse_amount(self, text: str, number: int) -> Amount | None:
        cached = self.amount_cache.get(text)
        if cached is not None:
            return cached
        if "{" in text or "[" in text or "(" in text:
            self.problem(number, "unsupported-syntax", f"{text!r}: lot prices {{...}}, lot "
                         "dates [...] and value expressions (...) are outside the subset",
                         "hledger and ledger disagree on them; write the cost with @ or @@")
            return None
        match = _AMOUNT.match(text)
        if match is None:
            self.bad_amount(text, number)
            return None
        sign1, prefix, sign2, digits, suffix = match.groups()
        if (sign1 and sign2) or (prefix and suffix) or (sign2 and not prefix):
            self.bad_amount(text, number)
            return None
        if not (prefix or suffix):
            self.problem(number, "missing-commodity", f"the amount {text!r} has no commodity",
                         "write the currency, e.g. 100.00 USD or $100.00")
            return None
        quantity = Decimal(digits)
        if sign1 or sign2:
            quantity = -quantity
        amount = Amount(quantity, prefix or suffix)
        if len(self.amount_cache) < 4096:
            self.amount_cache[text] = amount
        return amount

    def bad_amount(self, text: str, number: int) -> None:
        if re.search(r"\d[,.]\d{3}[,.]|\d,\d", text):
            self.problem(number, "digit-group-mark", f"{text!r} uses ',' in a number: "
                         "hledger reads it as a decimal mark, ledger as a thousands separator",
                         "write numbers without digit-group marks and with '.' for "
                         "decimals, e.g. 1000.00 USD")
        else:
            self.problem(number, "bad-amount", f"cannot read the amount {text!r}",
                         "write amounts like -1234.56 USD or $12.00")

    def parse_date(self, text: str, number: int) -> dt.date | None:
        match = re.fullmatch(r"(\d{4})([-/])(\d{1,2})\2(\d{1,2})", text)
        date = _make_date(*map(int, match.group(1, 3, 4))) if match else None
        if date is None:
            self.problem(number, "bad-date", f"cannot read the date {text!r}",
                         "write dates as YYYY-MM-DD")
        return date


def _make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _strip_comment(text: str) -> str:
    at = text.find(";")
    return text if at < 0 else text[:at]


def _note(text: str, comments: list[str], tags: list[Tag]) -> None:
    """File a comment line as a ``key: value`` tag or as plain comment text."""
    if not text:
        return
    match = _TAG.fullmatch(text) if ":" in text else None
    if match:
        tags.append((match.group(1), match.group(2)))
    else:
        comments.append(text)


def _add_posting_comment(posting: Posting, text: str) -> Posting:
    notes = [posting.comment] if posting.comment else []
    found = list(posting.tags)
    _note(text, notes, found)
    return posting._replace(comment="\n".join(notes), tags=tuple(found))


_ENTRY_START = re.compile(r"\n(?=\d)")


def split_journal(text: str, pieces: int) -> list[tuple[int, str]]:
    """Cut a journal's text into about ``pieces`` parts, each starting at a date line.

    Returns (first line number, text) per part. A line that starts with a digit always
    begins a new entry, so no entry, comment block or directive is cut in two.
    """
    size = len(text)
    if pieces <= 1 or size == 0:
        return [(1, text)]
    starts = [0]
    for k in range(1, pieces):
        match = _ENTRY_START.search(text, max(starts[-1], size * k // pieces))
        if match is None:
            break
        if match.end() > starts[-1]:
            starts.append(match.end())
    starts.append(size)
    out = []
    line = 1
    for begin, end in itertools.pairwise(starts):
        out.append((line, text[begin:end]))
        line += text.count("\n", begin, end)
    return out


def read_amount(text: str, default_commodity: str) -> tuple[Amount | None, list[Problem]]:
    """Read one amount typed on the command line; a bare number is in ``default_commodity``."""
    reader = _Reader("<argument>", text)
    stripped = text.strip()
    if re.fullmatch(r"-?\d+(\.\d+)?", stripped):
        stripped = f"{stripped} {default_commodity}"
    amount = reader.parse_amount(stripped, 0)
    return amount, reader.out.problems


_ENTRY = re.compile(r"\n(\d{4})[-/](\d{1,2})[-/](\d{1,2})\b[^\n]*(?:\n[ \t]+\S[^\n]*)*")
"""A date line and the indented, non-blank lines under it (searched in "\n" + text)."""


def entries_on(text: str, days: Collection[dt.date]) -> str:
    """The entries of a journal text dated on one of ``days``, as journal text.

    A command that needs a few days' entries of a large file parses only those (their
    line numbers are not the file's). Directives are left out. The days go into the
    pattern, so the search skips every other entry without looking at its date.
    """
    if not days:
        return ""
    wanted = "|".join(sorted(f"{d.year:04d}[-/]{_part(d.month)}[-/]{_part(d.day)}"
                             for d in set(days)))
    pattern = re.compile(rf"\n(?:{wanted})\b[^\n]*(?:\n[ \t]+\S[^\n]*)*")
    return "".join(match.group(0)[1:] + "\n\n" for match in pattern.finditer("\n" + text))


def _part(number: int) -> str:
    """A month or day as a date line may write it: 3 as 3 or 03."""
    return f"0?{number}" if number < 10 else str(number)


class EntrySpan(NamedTuple):
    """Where one entry sits in a journal text: its date and first and last line."""

    date: tuple[int, int, int]
    line: int
    end_line: int


def entry_spans(text: str) -> list[EntrySpan]:
    """Every entry's date and lines, in file order, without parsing the postings.

    A write that inserts a back-dated entry into a large file needs only this; the
    lines are the ones ``read_journal`` would give the entries' sources.
    """
    padded = "\n" + text
    spans: list[EntrySpan] = []
    line, at = 1, 1
    for match in _ENTRY.finditer(padded):
        start, end = match.start() + 1, match.end()
        line += padded.count("\n", at, start)
        end_line = line + padded.count("\n", start, end)
        spans.append(EntrySpan((int(match.group(1)), int(match.group(2)),
                                int(match.group(3))), line, end_line))
        line, at = end_line, end
    return spans


def read_journal(path: str, text: str, first_line: int = 1) -> ParsedJournal:
    """Parse one journal file's text; ``path`` is used in every SourceRef.

    ``first_line`` is the line number of the text's first line, when the text is a part
    of a file cut between entries (see ``split_journal``).
    """
    try:
        return _Reader(path, text, first_line).run()
    except (InvalidOperation, RecursionError) as err:  # pragma: no cover - defensive
        out = ParsedJournal(path=path)
        out.problems.append(Problem(code="unreadable-journal", message=str(err),
                                    source=SourceRef(path, 0), hint="report this as a bug"))
        return out

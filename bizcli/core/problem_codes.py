"""Every problem code bizcli reports, with what it means and what usually fixes it.

A ``Problem`` (or ``fail(...)``) carries a stable kebab-case ``code``; scripts branch on
it (``biz check -O json``) and ``docs/errors.md`` explains it. ``CODES`` maps each code
to one sentence saying what it means for the user, ``FIXES`` to the usual remedy. The
table in ``docs/errors.md`` is generated from both (``python -m tests.errors.docs_table``),
and ``tests/errors`` checks that every code used in ``bizcli/`` is listed here, has a
test case, and is documented. Keys are kept in sorted order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

CODES: Mapping[str, str] = {
    "already-closed": "The period is closed already: the lock date covers its last day.",
    "ambiguous-comment": "A ';' comment follows a description or an amount after a single "
                         "space, which ledger and hledger read differently.",
    "ambiguous-description": "A new entry's description starts the way a status mark ('*', "
                             "'!') or a (code) does, so it would be read back as one.",
    "ambiguous-elided-amount": "The posting without an amount cannot be filled in: the other "
                               "postings are in several commodities, or already balance.",
    "assertion-multi-commodity": "A balance assertion is on an account that also holds "
    "other commodities (a warning: ledger reads it differently).",
    "back-dated-move": "A back-dated stock move would leave a later move of the same item "
                       "short of stock.",
    "bad-account-name": "An account name has a tab, a ';', two spaces in a row or a space at "
                        "either end, which hledger and ledger would misread.",
    "bad-account-type": "An account type is not one of asset, liability, equity, income or "
                        "expense.",
    "bad-amount": "An amount cannot be read as a number with a commodity.",
    "bad-bank-rules": "A bank rules file (biz import bank --rules) has a setting that cannot be "
                      "used: a pattern that is not a regular expression, an unknown encoding "
                      "or date format, a decimal mark other than '.' or ','.",
    "bad-bom-quantity": "A BOM line's quantity is zero or less, its scrap is not from 0% to under "
                        "100%, or labour or overhead is negative.",
    "bad-code": "An item or warehouse code in a stock move has characters codes may not have.",
    "bad-commodity": "The currency in biz.yaml cannot be used as a commodity symbol.",
    "bad-csv": "A CSV file being imported is malformed: a quoted field never closed, or a row with "
               "more fields than the header.",
    "bad-date": "A date in a journal, in biz.yaml, in a command argument or in BIZ_TODAY "
                "cannot be read or is not on the calendar.",
    "bad-deal-history": "A deal's history line is not 'YYYY-MM-DD stage', is out of date order, "
                        "repeats the stage above it, or a change is dated before the last one.",
    "bad-encoding": "A book file is not valid UTF-8 text.",
    "bad-fiscal-year-start": "fiscal_year_start in biz.yaml is not MM-DD with a day from 1 "
                             "to 28.",
    "bad-follow-up": "A follow-up is marked done twice, an activity that is not a follow-up is "
                     "marked done, or a ticket's first response is recorded twice.",
    "bad-forecast": "A line of a forecast file is not item,date,quantity.",
    "bad-format": "The output format asked for with -O, or implied by the extension of -o, "
                  "is not one bizcli can write.",
    "bad-item-kind": "An item's kind in items.yaml is not stocked, made, bought or service.",
    "bad-lot-size": "An item's lot_size is not lot-for-lot, fixed or periods, lacks the key its "
                    "rule needs, or a lot_ quantity is not above zero.",
    "bad-move-kind": "A stock move's kind is not receipt, issue, transfer, count or adjust.",
    "bad-number": "A value that must be a number (a schema version, a precision) is not one, "
                  "or is out of range.",
    "bad-order-line": "An order line on the command line is not ITEM=QUANTITY[@PRICE].",
    "bad-period": "A --period or --as-of value cannot be read as a period or a date.",
    "bad-price": "A P (market price) directive lacks its date, its commodity or its price.",
    "bad-quantity": "A stock move's quantity is not a number, is zero, or is negative where "
                    "only an adjust may be.",
    "bad-query": "A report query term is not a valid regular expression, or a tag: term names "
                 "no tag.",
    "bad-schema": "The schema version of a book file is below 1, so it does not exist.",
    "bad-stages": "The crm: stages of biz.yaml are empty, repeat a name, use won or lost, or give "
                  "a probability outside 0 to 100.",
    "bad-stock-line": "A stock file line does not have the shape of a stock move.",
    "bad-tag": "A --tag option of biz post is not written KEY=VALUE.",
    "bad-template": "biz init was given a --template it does not know.",
    "bad-valuation": "A valuation method in biz.yaml or items.yaml is not fifo or average.",
    "bad-value": "A key that takes a single value was given a list or a mapping.",
    "bad-yaml": "A YAML book file cannot be parsed.",
    "bad-yaml-shape": "A YAML value has the wrong shape: a mapping or a list was expected.",
    "bom-cycle": "The BOMs form a loop: an item is, through its components, a component of itself.",
    "bom-not-made": "A BOM is written for an item whose kind is not made.",
    "bom-service-item": "A BOM lists a service item as a component or by-product; services have no "
                        "stock to consume.",
    "book-exists": "biz init was pointed at a folder that already holds a book or some of "
                   "its files.",
    "book-invalid": "A write command refused to run because the book already has errors; "
                    "nothing was written.",
    "book-locked": "Another biz command held the book's write lock for too long, so this "
                   "command gave up.",
    "book-not-empty": "biz import journal was pointed at a book that already has journal "
                      "entries; it adopts a journal only into a book without any.",
    "book-not-found": "No book (a folder holding biz.yaml) was found from -B, BIZ_BOOK or the "
                      "current folder and its parents.",
    "component-short": "A work order cannot be completed: its warehouse lacks components; every "
                       "shortage is listed.",
    "conflict-marker": "A git merge conflict marker was left in a journal file.",
    "credit-limit": "The order would take the customer's open invoices and open orders over their "
                    "credit limit.",
    "date-out-of-range": "A new entry is dated after the last day of the current fiscal year.",
    "deal-closed": "The deal is already won or lost, so it cannot move, win or lose again.",
    "deal-link": "A won deal and its sales document do not name each other (order: on the deal, "
                 "deal: on the document).",
    "deal-open": "Only a won or lost deal can be reopened; this one is open.",
    "digit-group-mark": "An amount uses ',' inside a number, which hledger reads as a decimal "
                        "mark and ledger as a thousands separator.",
    "draft-documents": "A draft purchase or work order is dated in or before the period being "
                       "closed.",
    "duplicate-account": "An account is listed twice in the chart of accounts.",
    "duplicate-activity": "Two activities in crm/activities.yaml have the same number.",
    "duplicate-bill": "The supplier's invoice number is already billed on the order.",
    "duplicate-bom": "Two BOMs make the same item.",
    "duplicate-customer": "A customer code is listed twice in customers.yaml, or is added again.",
    "duplicate-deal": "Two deals in crm/deals.yaml have the same number.",
    "duplicate-include": "An include directive names a journal that is already loaded, so "
                         "its entries would count twice.",
    "duplicate-item": "An item code is listed twice in items.yaml.",
    "duplicate-key": "A key appears twice in the same YAML mapping.",
    "duplicate-lead": "Two leads in crm/deals.yaml have the same number.",
    "duplicate-supplier": "A supplier code is listed twice in suppliers.yaml, or is added again.",
    "duplicate-ticket": "Two tickets in crm/tickets.yaml have the same number.",
    "duplicate-warehouse": "A warehouse code is listed twice in warehouses.yaml.",
    "duplicate-work-order": "Two work orders have the same number.",
    "empty-bom": "A BOM has no components.",
    "empty-input": "biz post - found no entry on its standard input.",
    "empty-transaction": "A transaction has a date line but no postings.",
    "export-conflict": "Two records an SQLite export keys the same way (two sales orders "
                       "SO-2026-0001, say), or a record naming one that does not exist: a "
                       "database table cannot hold them.",
    "failed-assertion": "A balance assertion (= AMOUNT) does not match the account's running "
                        "balance at that posting.",
    "file-changed": "A book file changed on disk while the command ran (an editor saved it, a "
                    "git pull), after the command had read it; nothing was written.",
    "file-too-large": "A YAML file larger than 64 MiB, more than a book file needs.",
    "future-entries": "Something in the book is dated after today, so the period cannot be "
                      "closed.",
    "git-not-ready": "The --git option needs the book in a git work tree with no uncommitted "
                     "change and no close tag yet.",
    "implicit-conversion": "A transaction mixes commodities without a price (@ or @@) saying "
                           "how they convert.",
    "include-outside-book": "An include directive points to a file outside the book folder.",
    "inventory-drift": "The inventory account and the value of the stock ledger differ on a date.",
    "io-error": "The disk refused a read or a write (full, read-only, failing); a command that "
                "was writing left the book as it was.",
    "lead-closed": "The lead was already converted into a customer or dropped.",
    "locked-period": "A new entry is dated on or before the lock_date in biz.yaml.",
    "made-without-bom": "A made item has no BOM while the book has BOMs (a warning: MRP plans it "
                        "as bought).",
    "merge-conflict": "A book file still holds a git merge conflict (<<<<<<<, =======, >>>>>>> "
                      "lines); the file is not read until it is resolved.",
    "missing-amount": "A new deal has neither an amount nor product lines to total.",
    "missing-commodity": "An amount has no currency or commodity.",
    "missing-file": "A book file that must exist (biz.yaml or accounts.yaml) is missing.",
    "missing-include": "An include directive names a file that does not exist.",
    "missing-key": "A required key (such as schema, company, currency or an account's name) "
                   "is absent or empty.",
    "missing-price": "An item on a quote or an order has no price: none was given and items.yaml "
                     "has no sale_price.",
    "missing-reason": "A deal is marked lost without saying why.",
    "missing-role": "A command needs a role account that biz.yaml does not name.",
    "missing-schema": "A YAML book file is empty, so it has no schema version.",
    "missing-unit-cost": "A receipt, or a count or adjustment that adds stock when none is on "
                         "hand, has no unit cost.",
    "negative-cost": "A work order's by-products are worth more than the units cost to make.",
    "negative-stock": "A stock move takes out more than is on hand in that warehouse on that date.",
    "no-bom": "The item has no bill of materials, so it cannot be exploded, costed or made by a "
              "work order.",
    "no-supplier": "A planned purchase cannot become a draft purchase order: its item names no "
                   "supplier.",
    "not-billed": "Goods received in the period being closed are not billed by its last day.",
    "not-closed": "The period to reopen is not closed: the lock date is before it.",
    "not-draft": "Only a draft order is confirmed or released, and this one is not a draft.",
    "not-invoiced": "Goods shipped in the period being closed are not invoiced by its last day.",
    "nothing-to-bill": "Nothing received on the order is waiting for its bill.",
    "nothing-to-invoice": "Nothing on the order is shipped and waiting for its invoice.",
    "nothing-to-ship": "Everything on the order is shipped (or it has only services).",
    "order-closed": "The order is fully received or cancelled: nothing is open on it.",
    "orphan-posting": "An indented journal line does not belong to any transaction.",
    "output-exists": "The file an export would write already exists (or is a folder).",
    "over-bill": "A bill is for more than was received and not yet billed.",
    "over-completion": "A work order completion is for more units than are still open on it.",
    "over-invoice": "An invoice is for more than was shipped (or ordered, for a service) and not "
                    "yet invoiced.",
    "over-payment": "A payment is for more than is open on the bill, or the bill is paid.",
    "over-receipt": "A receipt is for more than the open quantity of an item on the order.",
    "over-shipment": "A shipment is for more than is left to ship on the order, or for an item "
                     "not on it.",
    "path-outside-book": "A file the command would write is reached through a symbolic link "
                         "that leads out of the book.",
    "period-not-over": "The period being closed has not ended yet.",
    "schema-too-new": "A book file's schema version is newer than this bizcli understands.",
    "service-item-stock": "A stock move names a service item, which has no stock, or an edit "
                          "would make an item with stock moves a service item.",
    "single-space-amount": "An amount follows the account name after a single space, so it "
                           "would be read as part of the account name.",
    "still-draft": "The order is a draft (written by biz mrp run --commit) and cannot be received "
                   "or completed yet.",
    "tab-in-posting": "A posting line contains a tab, which hledger and ledger read "
                      "differently.",
    "ticket-closed": "The ticket is already closed.",
    "too-few-postings": "biz post was given fewer than two postings.",
    "too-many-decimals": "An amount of a new entry has more decimal places than its "
                         "commodity's precision.",
    "two-elided-amounts": "More than one posting of a transaction has no amount.",
    "unbalanced-transaction": "The postings of a transaction do not add up to zero in some "
                              "commodity.",
    "unfinished-write": "An earlier command died while writing, and its undo log cannot be "
                        "rolled back here because the book cannot be written.",
    "unknown-account": "A posting, or a role in biz.yaml, names an account that is not in the "
                       "chart of accounts.",
    "unknown-activity": "An activity number is not in crm/activities.yaml.",
    "unknown-bill": "The order has no bill with that number.",
    "unknown-column": "A CSV being imported has a column that is not a field of its records, or "
                      "a bank rules file names a column the statement does not have.",
    "unknown-customer": "A customer code is not in customers.yaml.",
    "unknown-deal": "A deal number is not in crm/deals.yaml.",
    "unknown-entity": "biz export csv or json was asked for an entity it does not know.",
    "unknown-invoice": "A payment names an invoice that is not the customer's.",
    "unknown-item": "A stock move or a command names an item that is not in items.yaml.",
    "unknown-key": "A YAML book file has a key that its schema does not know, often a typo.",
    "unknown-lead": "A lead number is not in crm/deals.yaml.",
    "unknown-order": "The order number does not exist.",
    "unknown-planned-order": "The planned order --pick names is not among this MRP run's orders.",
    "unknown-stage": "A stage is not one of the book's (biz.yaml crm: stages, then won and lost), "
                     "or is not right for the command.",
    "unknown-subtype": "An account's subtype is not one of those allowed for its type.",
    "unknown-supplier": "A supplier code is not in suppliers.yaml.",
    "unknown-ticket": "A ticket number is not in crm/tickets.yaml.",
    "unknown-warehouse": "A stock move or a command names a warehouse that is not in "
                         "warehouses.yaml.",
    "unknown-work-order": "No work order has that number.",
    "unmatched-bank-row": "No rule of the bank rules file applies to a statement row, and the "
                          "file has no default_account.",
    "unordered-dates": "A journal file is not in date order (a warning: ledger checks "
    "balance assertions in file order).",
    "unreadable-file": "A book file exists but cannot be read, for example because of its "
                       "permissions or because it is a folder.",
    "unreadable-journal": "An internal error stopped bizcli from reading a journal file; this "
                          "is a bug in bizcli.",
    "unsupported-syntax": "A journal uses syntax outside the subset that hledger and ledger "
                          "read the same way, or biz post - was given directives.",
    "untyped-account": "An account has no type, and no ancestor in the chart has one.",
    "unwritable-chart": "biz account add cannot append to accounts.yaml because the file does "
                        "not end with its accounts list.",
    "unwritable-output": "The file a report or an export writes (-o FILE) cannot be written: "
                         "its folder is missing or read-only, or the disk is full.",
    "unwritable-records": "A master file does not end with its list, so a new entry cannot be "
                          "appended safely, or biz ... edit cannot find or rewrite the entry "
                          "alone.",
    "work-order-closed": "The work order is cancelled or completed: nothing is open on it.",
    "wrong-unit": "A stock move's unit is not the item's unit, or an edit would change the "
                  "unit of an item that has stock moves.",
    "yaml-alias": "A YAML alias (*name) in a book file: aliases of aliases expand "
                  "exponentially, and bizcli rewrites these files without them.",
    "yaml-line-break": "A YAML file holds a line break that YAML counts and editors do not "
                       "(U+2028, U+2029, U+0085, a carriage return alone): every line number "
                       "after it would be wrong.",
    "yaml-tag": "A YAML book file uses a tag (such as !custom), which book files do not allow.",
    "yaml-too-deep": "Lists and mappings nested more than 64 levels deep in a YAML file (the "
                     "book's files need fewer than ten).",
}
"""Problem code -> what it means for the user, in one sentence."""

FIXES: Mapping[str, str] = {
    "already-closed": "biz reopen PERIOD --reason '...' moves the lock date back first.",
    "ambiguous-comment": "Put two or more spaces before ';', or move the comment to a line "
                         "of its own.",
    "ambiguous-description": "Reword the start of the description, or give the entry its "
                             "status or code explicitly.",
    "ambiguous-elided-amount": "Write the amounts explicitly, one posting per commodity, or "
                               "remove the posting that would be zero.",
    "assertion-multi-commodity": "Assert on an account that holds one commodity, e.g. a "
    "subaccount per currency.",
    "back-dated-move": "Date the move later, or change its quantity.",
    "bad-account-name": "Rename the account: single spaces inside the name only, no tabs and "
                        "no ';'.",
    "bad-account-type": "Use asset, liability, equity, income or expense.",
    "bad-amount": "Write amounts like -1234.56 USD or $12.00.",
    "bad-bank-rules": "Fix the setting the message names; docs/imports.md lists every key of "
                      "a rules file.",
    "bad-bom-quantity": "Give each component and by-product a quantity above zero and scrap like "
                        "5%.",
    "bad-code": "Use letters, digits and . _ / - only, starting with a letter or digit.",
    "bad-commodity": "Use a code like USD or a symbol like $.",
    "bad-csv": "Put a field with a comma, quote or line break in double quotes, and write a quote "
               "inside it twice.",
    "bad-date": "Write dates as YYYY-MM-DD and check the month and the day.",
    "bad-deal-history": "Keep one 'DATE stage' line per change, in date order; date a change on or "
                        "after the deal's last line.",
    "bad-encoding": "Save the file as UTF-8.",
    "bad-fiscal-year-start": "Write e.g. 01-01 for calendar years or 04-01 for April.",
    "bad-follow-up": "Plan a new follow-up, or log the further reply as an activity.",
    "bad-forecast": "Write one line per item and period, e.g. TABLE-OAK,2026-12-07,3, after a "
                    "header item,date,quantity.",
    "bad-format": "Use table, plain, csv, json or md.",
    "bad-item-kind": "Use one of the kinds the hint lists.",
    "bad-lot-size": "Use lot_size: fixed with lot_quantity, or lot_size: periods with lot_periods; "
                    "lot_min, lot_max and lot_multiple must be above zero.",
    "bad-move-kind": "Use one of the five kinds.",
    "bad-number": "Write digits only, with '.' for decimals and no separators.",
    "bad-order-line": "Write e.g. OAK-BOARD=120@12.50.",
    "bad-period": "Use e.g. 2026, 2026-11, 2026-Q3, FY2026, 'last month' or 2026-01..2026-07.",
    "bad-price": "Write e.g. 'P 2026-01-31 EUR 1.08 USD'.",
    "bad-quantity": "Write a number like 12 or 2.5; only adjust moves are signed.",
    "bad-query": "Escape special characters with a backslash, and write tag:KEY or "
                 "tag:KEY=VALUE.",
    "bad-schema": "Write 'schema: 1'.",
    "bad-stages": "List the open stages in order, each once, with a percent: - {name: new, "
                  "probability: 10}.",
    "bad-stock-line": "Write DATE KIND ITEM QUANTITY UNIT WAREHOUSE [-> WAREHOUSE] [@ COST].",
    "bad-tag": "Write e.g. --tag doc=INV-2026-0042.",
    "bad-template": "Use trading, manufacturing or services.",
    "bad-valuation": "Use fifo or average.",
    "bad-value": "Write the value on one line after the colon.",
    "bad-yaml": "Fix the indentation or the quoting near the line shown.",
    "bad-yaml-shape": "Write 'key: value' lines for a mapping, or one '- item' per line for a "
                      "list.",
    "bom-cycle": "Remove the line that closes the loop; the message names every item on it.",
    "bom-not-made": "Set kind: made on the item in items.yaml, or remove the BOM.",
    "bom-service-item": "Remove the line, or use a stocked item.",
    "book-exists": "Choose another, empty folder; biz init never overwrites a book.",
    "book-invalid": "Fix the problems listed with it ('biz check' lists them all), then run "
                    "the command again.",
    "book-locked": "Wait for the other command to finish, then run this one again.",
    "book-not-empty": "Create a new book with 'biz init DIR' and import the journal into it.",
    "book-not-found": "Run inside a book, pass -B DIR, set BIZ_BOOK, or create a book with "
                      "'biz init DIR'.",
    "component-short": "Receive or transfer the components first, or complete fewer units with "
                       "--qty.",
    "conflict-marker": "Resolve the merge conflict, then remove the marker lines.",
    "credit-limit": "Ask for payment first, raise the limit, or pass --override.",
    "date-out-of-range": "Check the year; entries for a later fiscal year wait until it "
                         "starts.",
    "deal-closed": "Reopen it first with 'biz crm deal reopen', or open a new deal.",
    "deal-link": "Run 'biz crm deal won' again to link a half-finished win, or fix the two fields "
                 "by hand.",
    "deal-open": "Move it with 'biz crm deal move' instead.",
    "digit-group-mark": "Write numbers without digit-group marks and with '.' for decimals, "
                        "e.g. 1000.00 USD.",
    "draft-documents": "Confirm or release it, or cancel it; or accept it for this close with "
                       "--allow drafts.",
    "duplicate-account": "Keep one of the entries.",
    "duplicate-activity": "Give one of them another number.",
    "duplicate-bill": "Each invoice is billed once; check the number.",
    "duplicate-bom": "Keep one BOM per item in boms.yaml.",
    "duplicate-customer": "Keep one entry per code; choose another code for a new customer.",
    "duplicate-deal": "Give one of them another number.",
    "duplicate-include": "Remove the include: every journal/*.journal file is loaded anyway.",
    "duplicate-item": "Keep one entry per code.",
    "duplicate-key": "Keep one of the two keys.",
    "duplicate-lead": "Give one of them another number.",
    "duplicate-supplier": "Keep one entry per code; choose another code for a new supplier.",
    "duplicate-ticket": "Give one of them another number.",
    "duplicate-warehouse": "Keep one entry per code.",
    "duplicate-work-order": "Give each work order its own number.",
    "empty-bom": "List what one unit consumes under components:.",
    "empty-input": "Give one or more transactions in journal syntax on stdin.",
    "empty-transaction": "Add at least two postings under the date line, or remove it.",
    "export-conflict": "Give one of the two records another number, or fix the reference; "
                       "the CSV and JSON exports are not affected.",
    "failed-assertion": "Look for a missing or mistyped entry before that date, or correct "
                        "the asserted amount.",
    "file-changed": "Run the command again: it reads the file as it is now.",
    "file-too-large": "Split it, or remove what does not belong in the book.",
    "future-entries": "Correct the date (a mistyped year?), or enter it when it happens.",
    "git-not-ready": "Commit or stash the changes first (or 'git init' the book), or close "
                     "without --git.",
    "implicit-conversion": "Give the rate with @ (per unit) or @@ (in total) on one posting.",
    "include-outside-book": "Keep included files inside the book folder.",
    "inventory-drift": "Post the entry that matches that day's stock moves, or the moves that "
                       "match the entry.",
    "io-error": "Free some space or fix the permissions, then run the command again.",
    "lead-closed": "Add a new lead, or work on the customer it became.",
    "locked-period": "Date the entry after the lock date (a correction goes in the open "
                     "period), or move lock_date back.",
    "made-without-bom": "Add its BOM to boms.yaml, or give the item another kind.",
    "merge-conflict": "Keep the side you want (or both), delete the three marker lines, then "
                      "run 'biz check'.",
    "missing-amount": "Give --amount, or lines like ITEM=2@150.",
    "missing-commodity": "Write the currency, e.g. 100.00 USD or $100.00.",
    "missing-file": "Create the book with 'biz init DIR', or restore the file from git.",
    "missing-include": "Fix the path (relative to the including file) or remove the line.",
    "missing-key": "Add the key with a value, e.g. 'company: Oak & Pine'.",
    "missing-price": "Give the price (ITEM=2@1450) or add sale_price to the item.",
    "missing-reason": "Give --reason (price, timing, competitor...).",
    "missing-role": "Add the role under accounts: in biz.yaml, and the account to the chart.",
    "missing-schema": "Start the file with 'schema: 1'.",
    "missing-unit-cost": "Write the unit cost on the line, e.g. @ 12.50 USD.",
    "negative-cost": "Check the by-products' quantities and their costs in items.yaml.",
    "negative-stock": "Receive the goods first, date the move later, or correct the quantity.",
    "no-bom": "Add its BOM to boms.yaml ('biz bom show' works for the items listed there).",
    "no-supplier": "Add supplier: CODE to the item in items.yaml, or leave the planned order out "
                   "with --pick.",
    "not-billed": "Enter the bill with 'biz purchase bill', or accept it for this close with "
                  "--allow not-billed.",
    "not-closed": "Nothing to reopen; 'biz close PERIOD' closes a period.",
    "not-draft": "Nothing to do: the order is already open (or closed).",
    "not-invoiced": "Invoice them with 'biz sale invoice', or accept it for this close with "
                    "--allow not-invoiced.",
    "nothing-to-bill": "Receive the goods first; 'biz purchase show' lists what is billed.",
    "nothing-to-invoice": "Ship the goods first; 'biz sale show' lists what is invoiced.",
    "nothing-to-ship": "See what was shipped with 'biz sale show'.",
    "order-closed": "See 'biz purchase show'; receive on another order.",
    "orphan-posting": "Put the line under a date line, or remove its indentation.",
    "output-exists": "Give another file name, or add --force to replace the file.",
    "over-bill": "Bill at most what was received.",
    "over-completion": "Complete at most the open quantity ('biz wo show' shows it).",
    "over-invoice": "Invoice at most what was shipped.",
    "over-payment": "Pay at most the open amount.",
    "over-receipt": "Receive at most the open quantity, or order more.",
    "over-shipment": "Ship at most what is ordered and not yet shipped.",
    "path-outside-book": "Replace the link with a real folder or file inside the book, or name "
                         "the outside file on the command line.",
    "period-not-over": "Close a period once its last day has passed.",
    "schema-too-new": "Upgrade bizcli to read this book.",
    "service-item-stock": "Remove the move, or change the item's kind (a new item for a "
                          "service).",
    "single-space-amount": "Put two or more spaces between the account and the amount.",
    "still-draft": "Confirm a purchase order with 'biz purchase confirm', release a work order "
                   "with 'biz wo release'.",
    "tab-in-posting": "Use two or more spaces instead of the tab.",
    "ticket-closed": "Open a new ticket.",
    "too-few-postings": "Give ACCOUNT AMOUNT pairs, e.g. Expenses:Rent 1200 Assets:Bank.",
    "too-many-decimals": "Round the amount to the commodity's precision.",
    "two-elided-amounts": "Write the amount on every posting but one.",
    "unbalanced-transaction": "Make the amounts add up to zero per commodity.",
    "unfinished-write": "Run any biz command where the book may be written: it rolls the change "
                        "back first.",
    "unknown-account": "Add it with 'biz account add NAME', or fix the name ('biz accounts' "
                       "lists the chart).",
    "unknown-activity": "Fix the number (the message suggests the closest one); 'biz crm due' "
                        "lists the open follow-ups.",
    "unknown-bill": "Bill it first with 'biz purchase bill', or fix the number.",
    "unknown-column": "Use the column names the hint lists (the keys of the YAML file, or "
                      "the statement's header as written).",
    "unknown-customer": "Fix the code (the message suggests the closest one) or add the customer.",
    "unknown-deal": "Fix the number (the message suggests the closest one); 'biz crm deal list' "
                    "shows them.",
    "unknown-entity": "Use one of the entities 'biz export csv --help' lists.",
    "unknown-invoice": "Fix the number; 'biz aging ar' lists the open invoices.",
    "unknown-item": "Add the item to items.yaml or fix the code (the message suggests the "
                    "closest one).",
    "unknown-key": "Fix the key's spelling, or remove it; the hint lists the known keys.",
    "unknown-lead": "Fix the number (the message suggests the closest one); 'biz crm lead list' "
                    "shows them.",
    "unknown-order": "See the orders with 'biz purchase list' (the message suggests the closest).",
    "unknown-planned-order": "Run 'biz mrp run' with the same options and pick among the numbers "
                             "it shows.",
    "unknown-stage": "Use a stage the hint lists, or add it to biz.yaml.",
    "unknown-subtype": "Use one of the subtypes the hint lists for the account's type.",
    "unknown-supplier": "Fix the code (the message suggests the closest one) or add the supplier.",
    "unknown-ticket": "Fix the number (the message suggests the closest one); 'biz crm ticket "
                      "list' shows them.",
    "unknown-warehouse": "Add the warehouse to warehouses.yaml or fix the code.",
    "unknown-work-order": "Run 'biz wo list' to see the work orders.",
    "unmatched-bank-row": "Add a rule whose pattern finds the row, or a default_account for the "
                          "rows no rule takes.",
    "unordered-dates": "Move the entry to its date's place; biz post inserts entries in "
    "order.",
    "unreadable-file": "Check the file's permissions, and that it is a file.",
    "unreadable-journal": "Report it as a bug, with the journal file if you can share it.",
    "unsupported-syntax": "Write the entries out as plain transactions with one date and "
                          "real accounts; add accounts with 'biz account add'.",
    "untyped-account": "Give the account, or its parent, a type (e.g. --type expense).",
    "unwritable-chart": "Move 'accounts:' and its list to the end of accounts.yaml, then try "
                        "again.",
    "unwritable-output": "Check that the folder exists and may be written to, or write the "
                         "export elsewhere.",
    "unwritable-records": "Move the list (customers:, items:, ...) to the end of the file, or "
                          "write the entry as '- code: X' with one key per line, then try "
                          "again.",
    "work-order-closed": "Create a new work order.",
    "wrong-unit": "Write the quantity in the item's unit; to count an item in another unit, "
                  "add a new item.",
    "yaml-alias": "Write the value out in full.",
    "yaml-line-break": "Replace it with a space, or with a plain new line.",
    "yaml-tag": "Remove the tag; book files hold plain values only.",
    "yaml-too-deep": "Fix the indentation or the brackets near this line.",
}
"""Problem code -> the typical fix, in one sentence (the table in docs/errors.md)."""

#!/bin/sh
# The last week of November 2026 at the Oak & Pine Workshop, and the close of the month:
# the commands docs/tutorial.md walks through, as one script. Run it on a copy:
#
#   cp -r examples/workshop /tmp/workshop && sh examples/month-end.sh /tmp/workshop
#
# Each step sets the day it happens on (BIZ_TODAY), so the script gives the same books
# whenever it runs. BIZ may name another biz command (e.g. BIZ="python -m bizcli").
set -eu
BOOK=${1:?usage: month-end.sh BOOK}
BIZ=${BIZ:-command biz}
biz() { $BIZ -B "$BOOK" "$@"; }
on() { BIZ_TODAY=$1; export BIZ_TODAY; echo "== $1"; }

on 2026-11-23
# The bank statement of the 21st and 22nd: preview, then post, paying invoices it names.
biz import bank "$BOOK/import/bank-2026-11.csv" --rules "$BOOK/import/bank-rules.yaml" --dry-run
biz import bank "$BOOK/import/bank-2026-11.csv" --rules "$BOOK/import/bank-rules.yaml" --match
# The finishes arrive; Brightline's invoices for what came in earlier in the month.
biz purchase receive PO-2026-0013
biz purchase bill PO-2026-0012 --number BL-20931 --tax-rate 0.10
biz purchase bill PO-2026-0014 --number BL-20977 --tax-rate 0.10

on 2026-11-24
# The rest of Harbor's order goes out; both shipped orders are invoiced.
biz sale ship SO-2026-0017
biz sale invoice SO-2026-0017
biz sale invoice SO-2026-0018

on 2026-11-25
# Nordic Living's boards and care kits: three kits move from the workshop to the
# showroom first; the six boards on hand and the six kits ship (six boards wait for the
# next delivery) and are invoiced. Finishing Touch bills.
biz stock transfer CARE-KIT 3 WORKSHOP SHOWROOM
biz sale ship SO-2026-0019 CUTBOARD-EG=6 CARE-KIT=6
biz sale invoice SO-2026-0019
biz purchase bill PO-2026-0013 --number FTC-3501 --tax-rate 0.10

on 2026-11-26
# A walk-in order for care kits, shipped and invoiced the same day.
biz sale order greenleaf-home CARE-KIT=4 --warehouse WORKSHOP
biz sale ship SO-2026-0022
biz sale invoice SO-2026-0022

on 2026-11-27
# Greenleaf pays the invoice that was 31-60 days late.
biz sale pay greenleaf-home 391.60

on 2026-11-30
# Month-end entries: November's depreciation, and the dashboard.
biz post 2026-11-30 "Depreciation November" Expenses:Depreciation 971.43 \
    "Assets:Accumulated Depreciation" -971.43
biz summary

on 2026-12-02
# Close November: every check, the reports into reports/2026-11/, the lock date.
biz close 2026-11 --dry-run
biz close 2026-11

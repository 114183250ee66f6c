"""Exports: a loaded book written in other tools' formats (``biz export``).

``journal`` writes the whole book as one hledger or ledger journal, ``beancount`` as a
beancount file, ``tables`` turns every record into rows of named, typed columns, and
``delimited`` and ``database`` write those rows as CSV, JSON or an SQLite database.
"""

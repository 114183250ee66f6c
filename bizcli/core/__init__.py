"""The pure domain: money, accounts, transactions, balancing, periods, checks.

Standard library only. No file, terminal, clock or environment access: every input
(the text already read, "today", the settings) comes in as a parameter.
"""

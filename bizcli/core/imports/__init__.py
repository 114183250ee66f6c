"""Bringing outside files into the book: bank statements, journals, CSVs of master records.

Pure: the text already read comes in, core values and problems go out.
"""

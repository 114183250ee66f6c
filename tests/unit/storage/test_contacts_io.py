"""Contacts as CSV and vCard: exact exports, other tools' imports, problems, round trips."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bizcli.core.parties import Contact, Party
from bizcli.core.problems import Problem
from bizcli.storage.contacts_io import (
    parties_from_csv,
    parties_from_vcard,
    parties_to_csv,
    parties_to_vcard,
)

HARBOR = Party(
    code="harbor", name="Harbor Interiors, Ltd.",
    contacts=(Contact(name="Ana María López", email="ana@harbor.example",
                      phone="+1 415 555 0101", role="Buyer; samples"),
              Contact(name="Tom", email="tom@harbor.example")),
    address="12 Pier Street, Unit 4\nSan Francisco, CA 94105, United States of America",
    tags=("trade", "designer"))
WALK_IN = Party(code="walk-in", name="Walk-in customer")


def _where(problems: list[Problem]) -> list[tuple[str, int]]:
    return [(p.code, p.source.line if p.source else 0) for p in problems]


def _people(party: Party) -> list[tuple[str, str | None, str | None, str | None]]:
    return [(c.name, c.email, c.phone, c.role) for c in party.contacts]


# --- exports ---------------------------------------------------------------------------


def test_csv_export_is_exact() -> None:
    assert parties_to_csv([HARBOR, WALK_IN]) == (
        "code,name,contact,email,phone,role,address,tags\n"
        'harbor,"Harbor Interiors, Ltd.",Ana María López,ana@harbor.example,\'+1 415 555 0101,'
        'Buyer; samples,"12 Pier Street, Unit 4\nSan Francisco, CA 94105, United States of '
        'America",trade;designer\n'
        'harbor,"Harbor Interiors, Ltd.",Tom,tom@harbor.example,,,"12 Pier Street, Unit 4\n'
        'San Francisco, CA 94105, United States of America",trade;designer\n'
        "walk-in,Walk-in customer,,,,,,\n")


def test_csv_export_quotes_a_lone_carriage_return() -> None:
    text = parties_to_csv([Party(code="a", name="A", address="1 Road\rTown")])
    assert text.endswith('"a","A","","","","","1 Road\rTown",""\n')
    assert parties_from_csv(text, "c.csv")[0][0].address == "1 Road\rTown"


def test_vcard_export_is_exact() -> None:
    assert parties_to_vcard([HARBOR, WALK_IN]) == (
        "BEGIN:VCARD\r\n"
        "VERSION:3.0\r\n"
        "FN:Ana María López\r\n"
        "N:López;Ana María;;;\r\n"
        "ORG:Harbor Interiors\\, Ltd.\r\n"
        "TITLE:Buyer\\; samples\r\n"
        "EMAIL;TYPE=INTERNET:ana@harbor.example\r\n"
        "TEL:+1 415 555 0101\r\n"
        "ADR:;;12 Pier Street\\, Unit 4\\nSan Francisco\\, CA 94105\\, United States of \r\n"
        " America;;;;\r\n"
        "CATEGORIES:trade,designer\r\n"
        "X-BIZ-CODE:harbor\r\n"
        "END:VCARD\r\n"
        "BEGIN:VCARD\r\n"
        "VERSION:3.0\r\n"
        "FN:Tom\r\n"
        "N:;Tom;;;\r\n"
        "ORG:Harbor Interiors\\, Ltd.\r\n"
        "EMAIL;TYPE=INTERNET:tom@harbor.example\r\n"
        "ADR:;;12 Pier Street\\, Unit 4\\nSan Francisco\\, CA 94105\\, United States of \r\n"
        " America;;;;\r\n"
        "CATEGORIES:trade,designer\r\n"
        "X-BIZ-CODE:harbor\r\n"
        "END:VCARD\r\n"
        "BEGIN:VCARD\r\n"
        "VERSION:3.0\r\n"
        "FN:Walk-in customer\r\n"
        "N:;;;;\r\n"
        "ORG:Walk-in customer\r\n"
        "X-BIZ-CODE:walk-in\r\n"
        "END:VCARD\r\n")


def test_vcard_folds_by_octets_not_inside_a_character() -> None:
    text = parties_to_vcard([Party(code="z", name="Zürich " * 20)])
    lines = text.split("\r\n")
    assert max(len(line.encode()) for line in lines) <= 75
    assert any(line.startswith(" ") for line in lines)
    assert parties_from_vcard(text, "z.vcf")[0][0].name == ("Zürich " * 20).strip()


# --- imports from other tools ----------------------------------------------------------


def test_google_like_csv_merges_people_of_one_company() -> None:
    text = ("First Name,Last Name,Organization,E-mail Address,Phone Number,Job Title\n"
            "Ana,López,Harbor Interiors Ltd.,ana@harbor.example,+1 415 555 0101,Buyer\n"
            "Tom,Reed,Harbor Interiors Ltd.,,,\n"
            "Katharina,Müller,Atelier Müller,studio@atelier.example,,Owner\n")
    parties, problems = parties_from_csv(text, "google.csv")
    assert problems == []
    assert [(p.code, p.name) for p in parties] == [
        ("harbor-interiors-ltd", "Harbor Interiors Ltd."), ("atelier-muller", "Atelier Müller")]
    assert _people(parties[0]) == [("Ana López", "ana@harbor.example", "+1 415 555 0101",
                                    "Buyer"), ("Tom Reed", None, None, None)]
    assert parties[1].source is not None
    assert parties[1].source.line == 4


def test_outlook_like_csv_uses_job_title_and_joins_the_address() -> None:
    text = ("\ufeffTitle,First Name,Middle Name,Last Name,Company,Job Title,Business Street,"
            "Business City,Business State,Business Postal Code,Business Country/Region,"
            "Business Phone,Mobile Phone,E-mail Address,Categories\n"
            "Ms.,Ana,,López,Harbor Interiors Ltd.,Buyer,12 Pier St,San Francisco,CA,94105,USA,"
            ",+1 415 555 0101,ana@harbor.example,Trade; Designer\n")
    [party], problems = parties_from_csv(text, "outlook.csv")
    assert problems == []
    assert party.code == "harbor-interiors-ltd"
    assert party.address == "12 Pier St, San Francisco, CA 94105, USA"
    assert party.tags == ("Trade", "Designer")
    assert _people(party) == [("Ana López", "ana@harbor.example", "+1 415 555 0101", "Buyer")]


def test_phone_vcard_4_with_folded_lines_and_escaped_commas() -> None:
    text = ("BEGIN:VCARD\n"
            "VERSION:4.0\n"
            "FN:Jane Q. Smith\n"
            "N:Smith;Jane;Q.;;\n"
            "ORG:Smith\\, Jones & Partners;Sales\n"
            "TITLE:Head of Purchasing\\, Europe\\, Middle East and Africa (EMEA)\\, based in\n"
            "  London\n"
            "EMAIL;TYPE=home:jane@home.example\n"
            "EMAIL;TYPE=work;PREF=1:jane@sjp.example\n"
            'TEL;VALUE=uri;TYPE="voice,cell":tel:+44-20-7946-0958\n'
            "item1.ADR;TYPE=work:;;1 Long Road;London;;EC1A 1BB;United Kin\n"
            "\tgdom\n"
            "CATEGORIES:trade,uk\n"
            "END:VCARD\n"
            "BEGIN:VCARD\n"
            "VERSION:3.0\n"
            "FN:Carlos Mendoza\n"
            "EMAIL:carlos@mailbox.example\n"
            "END:VCARD\n")
    parties, problems = parties_from_vcard(text, "phone.vcf")
    assert problems == []
    smith, carlos = parties
    assert (smith.code, smith.name) == ("smith-jones-partners", "Smith, Jones & Partners")
    assert _people(smith) == [("Jane Q. Smith", "jane@sjp.example", "+44-20-7946-0958",
                               ("Head of Purchasing, Europe, Middle East and Africa (EMEA), "
                                "based in London"))]
    assert smith.address == "1 Long Road, London, EC1A 1BB, United Kingdom"
    assert smith.tags == ("trade", "uk")
    assert (carlos.code, carlos.name) == ("carlos-mendoza", "Carlos Mendoza")
    assert _people(carlos) == [("Carlos Mendoza", "carlos@mailbox.example", None, None)]


def test_a_name_without_a_code_gives_its_slug() -> None:
    text = "name\nHarbor Interiors Ltd.\nÉcole   Supérieure -- d'Art\n"
    parties, _ = parties_from_csv(text, "c.csv")
    assert [p.code for p in parties] == ["harbor-interiors-ltd", "ecole-superieure-d-art"]


# --- problems --------------------------------------------------------------------------


def test_missing_name_column_is_one_problem_at_line_1() -> None:
    parties, problems = parties_from_csv("First Name,Last Name,E-mail Address\nAna,López,"
                                         "ana@harbor.example\n", "c.csv")
    assert parties == []
    assert _where(problems) == [("missing-key", 1)]
    assert problems[0].hint


def test_bad_email_is_reported_on_its_physical_line() -> None:
    text = ("code,name,contact,email,phone,role,address,tags\n"
            'a,A,Ann,ann@a.example,,,"1 Road\n'
            'Town",\n'
            "b,B,Bob,bob(at)b.example,,,,\n"
            "c,C,Cy,cy@c .example,,,,\n")
    parties, problems = parties_from_csv(text, "c.csv")
    assert _where(problems) == [("bad-value", 4), ("bad-value", 5)]
    assert [p.code for p in parties] == ["a", "b", "c"]
    assert parties[1].contacts[0].email is None


def test_one_code_with_two_names_is_a_problem_on_the_later_row() -> None:
    text = "code,name,contact\nh,Harbor,Ana\nh,,Tom\nh,Harbour,Eve\n"
    parties, problems = parties_from_csv(text, "c.csv")
    assert _where(problems) == [("bad-value", 4)]
    assert "Harbour" in problems[0].message
    assert [c.name for c in parties[0].contacts] == ["Ana", "Tom", "Eve"]


def test_rows_without_name_or_code_and_unsluggable_names() -> None:
    text = "code,name,contact\n,,Ana\n,北京贸易,Li\nBad Code!,X,\n,,\n"
    parties, problems = parties_from_csv(text, "c.csv")
    assert parties == []
    assert _where(problems) == [("missing-key", 2), ("missing-key", 3), ("bad-value", 4)]


def test_broken_csv_is_reported_where_the_row_starts() -> None:
    text = ('code,name\na,A\n"b"x,B\nc,C\nd,"D\n\n')
    parties, problems = parties_from_csv(text, "c.csv")
    assert [p.code for p in parties] == ["a", "c"]
    assert _where(problems) == [("bad-csv", 3), ("bad-csv", 5)]
    assert "never closed" in problems[1].message


def test_a_card_without_fn_or_org() -> None:
    text = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana\r\nEND:VCARD\r\n"
            "BEGIN:VCARD\r\nVERSION:3.0\r\nEMAIL:x@y.example\r\nEND:VCARD\r\n")
    parties, problems = parties_from_vcard(text, "c.vcf")
    assert [p.name for p in parties] == ["Ana"]
    assert _where(problems) == [("missing-key", 5)]


def test_a_quoted_printable_card_is_refused_at_its_property() -> None:
    text = ("BEGIN:VCARD\nVERSION:2.1\nN:Müller;Katharina\n"
            "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Katharina M=C3=BCller\n"
            "END:VCARD\n")
    parties, problems = parties_from_vcard(text, "old.vcf")
    assert parties == []
    assert _where(problems) == [("bad-value", 4)]
    assert "quoted-printable" in problems[0].message


def test_vcard_structure_problems() -> None:
    text = ("stray line\nBEGIN:VCARD\nVERSION:5.0\nFN:A\nEND:VCARD\n"
            "BEGIN:VCARD\nFN:B\nEMAIL:b@b\nBEGIN:VCARD\nFN:C\n")
    parties, problems = parties_from_vcard(text, "c.vcf")
    assert parties == []
    assert _where(problems) == [("bad-value", 1), ("bad-value", 3), ("missing-key", 6),
                                ("missing-key", 9)]


# --- round trips -----------------------------------------------------------------------

# Printable ASCII and a sample of the rest: accents, other scripts, 4-octet emoji (folding),
# spaces that are not " " (strip, N's split), and more of the characters vCard and CSV
# escape or quote; sampled_from keeps the tests fast.
_CHARS = st.sampled_from([*map(chr, range(0x20, 0x7F)), *"éüßøÆŁçñ中文ÅΩжא😀€\u00a0\u2009",
                          *',;"\\' * 4])
_TEXT = st.text(_CHARS, min_size=1, max_size=24).map(str.strip)
_WORDS = _TEXT.filter(bool)
_ADDRESS = st.text(st.one_of(_CHARS, st.just("\n")), max_size=90).map(str.strip)
_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"
_EMAIL = st.builds("{}@{}.{}".format, st.text(_ALNUM + "._+-", min_size=1, max_size=8),
                   st.text(_ALNUM + "-", min_size=1, max_size=8),
                   st.text(_ALNUM, min_size=2, max_size=4))
_CODE = st.builds(str.__add__, st.sampled_from(_ALNUM), st.text(_ALNUM + "._/-", max_size=12))
_CONTACT = st.builds(Contact, name=_WORDS, email=st.none() | _EMAIL,
                     phone=st.none() | _WORDS, role=st.none() | _WORDS)
_PARTY = st.builds(Party, code=_CODE, name=_WORDS,
                   contacts=st.lists(_CONTACT, max_size=3).map(tuple),
                   address=st.none() | _ADDRESS.filter(bool),
                   tags=st.lists(_WORDS.filter(lambda t: ";" not in t), max_size=3).map(tuple))
_PARTIES = st.lists(_PARTY, max_size=4, unique_by=lambda p: p.code)


@settings(max_examples=75, deadline=None)
@given(_PARTIES)
def test_csv_round_trip(parties: list[Party]) -> None:
    text = parties_to_csv(parties)
    assert parties_from_csv(text, "c.csv") == (parties, [])
    assert parties_to_csv(parties_from_csv(text, "c.csv")[0]) == text


@settings(max_examples=75, deadline=None)
@given(_PARTIES)
def test_vcard_round_trip(parties: list[Party]) -> None:
    text = parties_to_vcard(parties)
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert parties_from_vcard(text, "c.vcf") == (parties, [])
    assert parties_to_vcard(parties_from_vcard(text, "c.vcf")[0]) == text

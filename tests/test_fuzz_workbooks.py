"""Seeded fuzz suite of the actuals reader: hostile and careless workbooks (issue 9).

At collection time, with a fixed seed, a few hundred mutants are generated from a small
valid workbook (built with openpyxl, read fast) and from the example workbook: stray far
cells, far rows, huge numbers, long strings, formulas without cached value, wrong types,
duplicated rows, renamed / duplicated / missing sheets and headers, corrupt XML members,
zip flag bits, truncated files, entity bombs and random byte flips. Each is read in
process: ``read_actuals`` returns an :class:`Actuals` with finite, bounded numbers or
raises an :class:`InputError` (never another exception), within a per-case time guard.
Every eighth case also goes through ``incubo check --actuals`` in process: exit 0 or 2,
no traceback. Families whose every mutant is invalid are asserted refused.
"""

from __future__ import annotations

import io
import math
import random
import re
import time
import zipfile
from collections import Counter
from collections.abc import Callable

import pytest
from openpyxl import Workbook

from incubo_analysis.cli.main import main
from incubo_analysis.errors import InputError
from incubo_analysis.monitoring import reader as R
from incubo_analysis.paths import EXAMPLE_ACTUALS

SEED = 20190909
TIME_GUARD_S = 5.0  # per case (a bounded read takes well under a second)
SAV, CRE, IND = "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml"
EX_SAV = "xl/worksheets/sheet2.xml"  # the savings sheet of the example workbook (README is first)
EX_JAL, EX_RIS, EX_DEL = "xl/worksheets/sheet5.xml", "xl/worksheets/sheet6.xml", "xl/worksheets/sheet7.xml"
NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _small() -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    content = {
        "savings": [
            ["lever", "year", "etp_freed", "unit_cost_keur", "explanation"],
            ["dematerialisation", 2019, 2.0, 58, "retard"],
            ["user_support", 2019, 0.375, None, None],
            ["user_support", 2020, 1.5, None, "ok"],
        ],
        "credits": [
            ["axis", "title", "source", "year", "quarter", "ae_keur", "cp_keur"],
            [1, "T3", "FTAP", 2019, 1, 40.0, 10.0],
            [1, "T3", "FTAP", 2019, 2, 20.5, 30.0],
        ],
        "indicators": [
            ["indicator", "year", "value", "comment"],
            ["axis2_projects_incubated", 2019, 3, "ok"],
            ["axis1_user_satisfaction", 2021, 0.78, None],
        ],
        "README": [["Lisez-moi"]],
    }
    for name, rows in content.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


SMALL = _small()
EXAMPLE = EXAMPLE_ACTUALS.read_bytes()


def rezip(
    data: bytes, edits: dict[str, Callable[[bytes], bytes]] | None = None, *, flag: tuple[str, int] | None = None
) -> bytes:
    """``data`` with some members transformed (and one member's zip flag bits OR-ed)."""
    edits = edits or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            body = zin.read(info)
            if info.filename in edits:
                body = edits[info.filename](body)
            zout.writestr(
                zipfile.ZipInfo(info.filename, date_time=(2018, 1, 1, 0, 0, 0)),
                body,
                compress_type=zipfile.ZIP_DEFLATED,
            )
    raw = out.getvalue()
    if flag is not None:
        raw = _set_flag(raw, *flag)
    return raw


def _set_flag(raw: bytes, member: str, bits: int) -> bytes:
    """OR ``bits`` into the general-purpose flags of ``member`` (local and central headers)."""
    buf = bytearray(raw)
    name = member.encode()
    for sig, flag_at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        pos = buf.find(sig)
        while pos != -1:
            if buf[pos + name_at : pos + name_at + len(name)] == name:
                old = int.from_bytes(buf[pos + flag_at : pos + flag_at + 2], "little")
                buf[pos + flag_at : pos + flag_at + 2] = (old | bits).to_bytes(2, "little")
            pos = buf.find(sig, pos + 4)
    return bytes(buf)


def add_row(xml_row: str) -> Callable[[bytes], bytes]:
    return lambda d: d.replace(b"</sheetData>", xml_row.encode() + b"</sheetData>")


def sub(pattern: bytes, repl: bytes, count: int = 1) -> Callable[[bytes], bytes]:
    return lambda d: re.sub(pattern, repl, d, count=count)


def cell(ref: str, inner: str, t: str = "n") -> str:
    return f'<c r="{ref}" t="{t}">{inner}</c>'


# --------------------------------------------------------------------------- #
# The families: each yields (id, workbook bytes, expectation: "ok", "error" or "any")
# --------------------------------------------------------------------------- #
def fam_stray_far_cells(rng: random.Random):
    for i in range(16):
        col = rng.choice(["A", "B", "C", "D", "E", "F", "H", "Z", "AA", "XFD"])
        row = rng.choice([10_002, 50_000, 1_048_576, rng.randint(10_002, 1_048_576)])
        value = rng.choice(["<v>1</v>", "<v>2019</v>"])
        member = rng.choice([SAV, CRE, IND])
        required = {SAV: "ABCDE", CRE: "ABCDEFG", IND: "ABCD"}[member]
        expect = "error" if col in required else "ok"
        yield (
            f"{i}-{member[-10:-4]}-{col}{row}",
            rezip(SMALL, {member: add_row(f'<row r="{row}">{cell(col + str(row), value)}</row>')}),
            expect,
        )
    for col in ("Z", "C"):
        row = 1_048_576
        expect = "ok" if col == "Z" else "error"
        yield (
            f"example-{col}{row}",
            rezip(EXAMPLE, {EX_SAV: add_row(f'<row r="{row}">{cell(col + str(row), "<v>1</v>")}</row>')}),
            expect,
        )


def fam_far_rows(rng: random.Random):
    rows = [1_048_577, 1_048_578, 2_000_000, 10**9, 10**12, rng.randint(1_048_577, 10**7)]
    for row in rows:
        col = rng.choice(["A", "Z"])
        yield (
            f"row{row}{col}",
            rezip(SMALL, {SAV: add_row(f'<row r="{row}">{cell(col + str(row), "<v>1</v>")}</row>')}),
            "error",
        )
    for bad in ("abc", "1.5", "-3", "0", ""):
        yield f"r={bad!r}", rezip(SMALL, {CRE: add_row(f'<row r="{bad}"><c t="n"><v>1</v></c></row>')}), "any"
    yield (
        "example-A1048577",
        rezip(EXAMPLE, {EX_SAV: add_row(f'<row r="1048577">{cell("A1048577", "<v>1</v>")}</row>')}),
        "error",
    )
    yield "cell-ref-beyond-XFD", rezip(SMALL, {SAV: add_row(f'<row r="5">{cell("ZZZZ5", "<v>1</v>")}</row>')}), "any"


HUGE = [
    "9" * 400,
    "1" + "0" * 5000,
    "1e200",
    "1e400",
    "-1e308",
    "1.7976931348623157e308",
    "NaN",
    "inf",
    "-inf",
    "1e-400",
    "12345678901234567890",
]


def fam_huge_numbers(rng: random.Random):
    targets = [(SAV, "C2"), (SAV, "D2"), (CRE, "F2"), (CRE, "G3"), (IND, "C2"), (SAV, "B2"), (CRE, "E2")]
    for i, text in enumerate(HUGE):
        member, ref = rng.choice(targets)
        fn = sub(rf'<c r="{ref}" t="n"><v>[^<]*</v>'.encode(), cell(ref, f"<v>{text}</v>").encode()[:-4])
        yield f"{i}-{ref}-{text[:12]}", rezip(SMALL, {member: fn}), "any"
    for ref, member in (("C2", SAV), ("F2", CRE), ("C2", IND), ("D2", SAV)):
        fn = sub(rf'<c r="{ref}" t="n"><v>[^<]*</v>'.encode(), f'<c r="{ref}" t="n"><v>1e200</v>'.encode())
        yield f"1e200-{ref}-{member[-10:-4]}", rezip(SMALL, {member: fn}), "error"


def fam_long_strings(rng: random.Random):
    for n in (40_000, 200_000, 1_000_000):
        text = "x" * n
        yield f"explanation-{n}", rezip(SMALL, {SAV: sub(rb"<t>retard</t>", f"<t>{text}</t>".encode())}), "error"
        yield f"lever-{n}", rezip(SMALL, {SAV: sub(rb"<t>dematerialisation</t>", f"<t>{text}</t>".encode())}), "error"
        yield f"header-{n}", rezip(SMALL, {CRE: sub(rb"<t>axis</t>", f"<t>{text}</t>".encode())}), "error"
        name = rng.choice(["a", "é", "\u202e"]) * min(n, 5000)
        yield (
            f"sheet-name-{n}",
            rezip(SMALL, {"xl/workbook.xml": sub(rb'name="credits"', f'name="{name}"'.encode())}),
            "error",
        )
    yield "comment-30k", rezip(SMALL, {IND: sub(rb"<t>ok</t>", ("<t>" + "é" * 30_000 + "</t>").encode())}), "ok"


def fam_formulas(rng: random.Random):
    refs = [(SAV, "C2"), (SAV, "D2"), (CRE, "F2"), (CRE, "A3"), (IND, "C2"), (IND, "B3"), (SAV, "B3"), (SAV, "A2")]
    for member, ref in refs:
        formula = rng.choice(["1+1", "SUM(A1:A3)", "1/0", 'INDIRECT("Z1048576")', "x" * 300])
        pattern = rf'<c r="{ref}" t="(n|inlineStr)">.*?</c>'.encode()
        yield (
            f"nocache-{member[-10:-4]}-{ref}",
            rezip(SMALL, {member: sub(pattern, f'<c r="{ref}"><f>{formula}</f><v /></c>'.encode())}),
            "error",
        )
    yield (
        "cached-ok",
        rezip(SMALL, {SAV: sub(rb'<c r="C2" t="n"><v>2</v></c>', b'<c r="C2"><f>1+1</f><v>2</v></c>')}),
        "ok",
    )
    yield (
        "cached-error",
        rezip(SMALL, {SAV: sub(rb'<c r="C2" t="n"><v>2</v></c>', b'<c r="C2" t="e"><f>1/0</f><v>#DIV/0!</v></c>')}),
        "error",
    )


def fam_wrong_types(rng: random.Random):
    kinds = [
        ("b", "<v>1</v>"),
        ("b", "<v>7</v>"),
        ("b", "<v>x</v>"),
        ("s", "<v>999</v>"),
        ("s", "<v>-1</v>"),
        ("d", "<v>not-a-date</v>"),
        ("d", "<v>2019-01-01T00:00:00</v>"),
        ("e", "<v>#N/A</v>"),
        ("n", "<v>abc</v>"),
        ("n", "<v>1,5</v>"),
        ("str", "<v>2019</v>"),
        ("inlineStr", "<v>3</v>"),
        ("zz", "<v>1</v>"),
    ]
    for t, inner in kinds:
        member, ref = rng.choice([(SAV, "C2"), (SAV, "B2"), (CRE, "E2"), (IND, "C2")])
        fn = sub(rf'<c r="{ref}" t="n"><v>[^<]*</v></c>'.encode(), cell(ref, inner, t).encode())
        yield f"t={t}-{inner[3:-4][:8]}-{ref}", rezip(SMALL, {member: fn}), "any"
    yield (
        "date-style-huge-serial",
        rezip(SMALL, {SAV: sub(rb'<c r="C2" t="n"><v>2</v>', b'<c r="C2" t="n" s="999"><v>9e300</v>')}),
        "any",
    )


def fam_duplicated_rows(rng: random.Random):
    for member in (SAV, CRE, IND):
        for copies in (1, rng.randint(2, 50)):

            def dup(d: bytes, copies: int = copies) -> bytes:
                row = re.search(rb'<row r="2".*?</row>', d).group(0)
                extra = b"".join(
                    re.sub(rb'(r="[A-Z]*)2"', rb"\g<1>" + str(3 + 10 + k).encode() + b'"', row).replace(
                        b'<row r="2"', f'<row r="{13 + k}"'.encode()
                    )
                    for k in range(copies)
                )
                return d.replace(b"</sheetData>", extra + b"</sheetData>")

            yield f"{member[-10:-4]}-x{copies}", rezip(SMALL, {member: dup}), "error"
    yield (
        "same-row-number-twice",
        rezip(
            SMALL,
            {
                SAV: lambda d: d.replace(
                    b"</sheetData>", re.search(rb'<row r="2".*?</row>', d).group(0) + b"</sheetData>"
                )
            },
        ),
        "error",
    )


def fam_sheets_and_headers(rng: random.Random):
    wbx = "xl/workbook.xml"
    for new in ("Savings-", "SAVINGS", "sav ings", "sav_ings", " savings", "épargne", "savings2", "Credits"):
        expect = "ok" if re.sub(r"[\s_\-]+", "_", new.strip().lower()).strip("_") == "savings" else "error"
        yield f"rename-savings-{new!r}", rezip(SMALL, {wbx: sub(rb'name="savings"', f'name="{new}"'.encode())}), expect
    for alias in ("Savings-", "CREDITS", "indicators_"):
        yield f"alike-{alias}", rezip(SMALL, {wbx: sub(rb'name="README"', f'name="{alias}"'.encode())}), "error"
    yield "dup-sheet-entry", rezip(SMALL, {wbx: sub(rb"(<sheet [^>]*/>)", rb"\1\1")}), "any"
    yield "no-sheets", rezip(SMALL, {wbx: sub(rb"<sheets>.*</sheets>", b"<sheets />")}), "any"
    yield "drop-savings", rezip(SMALL, {wbx: sub(rb'<sheet name="savings"[^>]*/>', b"")}), "error"
    for old, new in (
        (b"etp_freed", b"etp"),
        (b"year", b"years"),  # "annee" is now accepted: the French header "Année" without its accent
        (b"ae_keur", b"AE k\xe2\x82\xac"),
        (b"indicator", b"indicator"),
        (b"lever", b""),
    ):
        member = SAV if old in (b"etp_freed", b"lever") else (CRE if old == b"ae_keur" else IND)
        expect = "ok" if old == new else "error"
        yield (
            f"header-{old.decode()}",
            rezip(SMALL, {member: sub(b"<t>" + old + b"</t>", b"<t>" + new + b"</t>")}),
            expect,
        )
    yield (
        "header-twice",
        rezip(SMALL, {SAV: sub(rb"</row>", cell("K1", "<is><t>Year</t></is>", "inlineStr").encode() + b"</row>")}),
        "error",
    )
    yield "header-on-row-3", rezip(SMALL, {IND: lambda d: d.replace(b'<row r="1"', b'<row r="3"', 1)}), "any"
    yield "empty-sheetData", rezip(SMALL, {CRE: sub(rb"<sheetData>.*</sheetData>", b"<sheetData />")}), "error"


def _member_names(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [i.filename for i in zf.infolist()]


def fam_corrupt_xml(rng: random.Random):
    corruptions: list[tuple[str, Callable[[bytes], bytes]]] = [
        ("truncated", lambda d: d[: len(d) // 2]),
        ("garbage", lambda d: b"\x00\xff garbage <<<"),
        ("other-root", lambda d: b"<?xml version='1.0'?><html><body/></html>"),
        ("empty", lambda d: b""),
        ("attr-type", lambda d: re.sub(rb'="[0-9]+"', b'="x"', d)),
        ("unknown-child", lambda d: d.replace(b"</", b"<zz:bogus xmlns:zz='urn:x'/></", 1)),
    ]
    for member in _member_names(SMALL):
        for label, fn in rng.sample(corruptions, 3):
            yield f"{member}-{label}", rezip(SMALL, {member: fn}), "any"
    yield "workbook-sheet-without-name", rezip(SMALL, {"xl/workbook.xml": sub(rb'name="savings" ', b"")}), "error"
    yield (
        "rels-missing-target",
        rezip(SMALL, {"xl/_rels/workbook.xml.rels": sub(rb'Target="[^"]*sheet1.xml"', b'Target="/xl/nowhere.xml"')}),
        "error",
    )
    yield (
        "styles-wrong",
        rezip(
            SMALL,
            {
                "xl/styles.xml": lambda d: (
                    b"<styleSheet " + NS + b"><numFmts count='x'><numFmt numFmtId='a'/></numFmts></styleSheet>"
                )
            },
        ),
        "any",
    )
    yield (
        "dimension-lies",
        rezip(SMALL, {SAV: sub(rb"<sheetData>", b'<dimension ref="A1:ZZZ99999999"/><sheetData>')}),
        "any",
    )


def fam_zip_flags(rng: random.Random):
    members = _member_names(SMALL)
    for bits in (0x1, 0x1 | 0x40, 0x1):
        member = rng.choice(members)
        yield f"encrypted-{bits:#x}-{member}", rezip(SMALL, flag=(member, bits)), "error"
    yield "encrypted-example-sheet", rezip(EXAMPLE, flag=(EX_SAV, 0x1)), "error"
    for bits in (0x8, 0x800, 0x2 | 0x4):
        member = rng.choice(members)
        yield f"flags-{bits:#x}-{member}", rezip(SMALL, flag=(member, bits)), "any"
    stored = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(SMALL)) as zin, zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            zout.writestr(zipfile.ZipInfo(info.filename, date_time=(2018, 1, 1, 0, 0, 0)), zin.read(info))
    raw = bytearray(stored.getvalue())
    pos = raw.find(b"PK\x01\x02")
    raw[pos + 10 : pos + 12] = (99).to_bytes(2, "little")  # AES "compression" in the central directory
    yield "compression-99", bytes(raw), "error"


def fam_truncated(rng: random.Random):
    for data, name in ((SMALL, "small"), (EXAMPLE, "example")):
        for _ in range(6):
            cut = rng.randint(1, len(data) - 1)
            yield f"{name}-cut{cut}", data[:cut], "error"
    yield "tail-garbage", SMALL + b"\x00" * 100, "any"


def fam_entity_bombs(rng: random.Random):
    lol = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    )
    external = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    for member in rng.sample([m for m in _member_names(SMALL) if m.endswith((".xml", ".rels"))], 5):
        for label, head in (("lol", lol), ("external", external)):
            yield (
                f"{label}-{member}",
                rezip(SMALL, {member: lambda d, h=head: h + re.sub(rb"^<\?xml[^>]*\?>", b"", d)}),
                "error",
            )
    text = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "aaaa">]><Relationships>&a;</Relationships>'
    yield "utf16-rels", rezip(SMALL, {"_rels/.rels": lambda _: text.encode("utf-16")}), "error"
    yield (
        "quadratic-blowup",
        rezip(SMALL, {SAV: sub(rb"<t>retard</t>", b"<t>" + b"&amp;" * 200_000 + b"</t>")}),
        "error",
    )


def _set_cell(ref: str, replacement: str) -> Callable[[bytes], bytes]:
    """Replace the whole cell ``ref`` (whatever its type) by ``replacement``."""
    return sub(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)'.encode(), replacement.encode())


def fam_follow_up_sheets(rng: random.Random):
    """Issue 11/12: the example's Jalons (dates), Risques (scores, statuses, dates), Délais de référence."""
    dates = ["9e300", "-5", "2958466", "1e-300", "0", "36525", "73416", "44104.75", "NaN"]
    for i, serial in enumerate(dates):
        member, ref = rng.choice([(EX_JAL, "D3"), (EX_RIS, "I2"), (EX_RIS, "J2"), (EX_JAL, "D4")])
        yield (
            f"date-{i}-{ref}",
            rezip(EXAMPLE, {member: _set_cell(ref, f'<c r="{ref}" s="19" t="n"><v>{serial}</v></c>')}),
            "any",
        )
    for serial, expect in (
        ("36525", "error"),
        ("73416", "error"),
        ("36526", "ok"),
    ):  # 1999-12-31, 2100-01-01, 2000-01-01
        yield (
            f"date-bound-{serial}",
            rezip(EXAMPLE, {EX_JAL: _set_cell("D3", f'<c r="D3" s="19" t="n"><v>{serial}</v></c>')}),
            expect,
        )
    for text, expect in (
        ("2020-09-30", "ok"),
        ("30/09/2020", "ok"),
        ("30.09.2020", "error"),
        ("2020-02-30", "error"),
        ("x" * 40_000, "error"),
    ):
        cell_xml = f'<c r="D3" t="inlineStr"><is><t>{text}</t></is></c>'
        yield f"date-text-{text[:12]}", rezip(EXAMPLE, {EX_JAL: _set_cell("D3", cell_xml)}), expect
    for value in ("0", "5", "1e300", "2.5", "-1", "4"):
        member_ref = rng.choice(["D2", "E2"])
        expect = "ok" if value == "4" else "error"
        yield (
            f"score-{member_ref}-{value}",
            rezip(EXAMPLE, {EX_RIS: _set_cell(member_ref, f'<c r="{member_ref}" t="n"><v>{value}</v></c>')}),
            expect,
        )
    for status, expect in (("ouvert", "error"), ("CLOS", "ok"), ("closed", "ok"), ("fermé", "error")):
        # R1 is closed with a closing date: "ouvert" with a closing date is refused
        cell_xml = f'<c r="H2" t="inlineStr"><is><t>{status}</t></is></c>'
        yield f"status-{status}", rezip(EXAMPLE, {EX_RIS: _set_cell("H2", cell_xml)}), expect
    for days, expect in (("0", "error"), ("1e300", "error"), ("3650", "ok"), ("-45", "error")):
        yield (
            f"reference-{days}",
            rezip(EXAMPLE, {EX_DEL: _set_cell("B2", f'<c r="B2" t="n"><v>{days}</v></c>')}),
            expect,
        )
    unknown = '<c r="A3" t="inlineStr"><is><t>J999</t></is></c>'
    yield "milestone-unknown", rezip(EXAMPLE, {EX_JAL: _set_cell("A3", unknown)}), "error"
    for member, col, expect in ((EX_JAL, "D", "error"), (EX_RIS, "A", "error"), (EX_DEL, "Z", "ok")):
        far = f'<row r="1048576">{cell(col + "1048576", "<v>1</v>")}</row>'
        yield f"far-{member[-10:-4]}-{col}", rezip(EXAMPLE, {member: add_row(far)}), expect
    for name in ("Jalons", "Risques", "Délais de référence"):  # optional sheets: dropping one is fine
        pattern = rf'<sheet name="{name}"[^>]*/>'.encode()
        yield f"drop-{name[:8]}", rezip(EXAMPLE, {"xl/workbook.xml": sub(pattern, b"")}), "ok"
    yield ("risks-alike", rezip(EXAMPLE, {"xl/workbook.xml": sub(rb'name="Listes"', b'name="Risks"')}), "error")


def fam_byte_flips(rng: random.Random):
    for i in range(12):
        data = bytearray(SMALL)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        yield f"flip{i}", bytes(data), "any"


FAMILIES = {
    "stray far cells": fam_stray_far_cells,
    "far rows": fam_far_rows,
    "huge numbers": fam_huge_numbers,
    "long strings": fam_long_strings,
    "formulas without cached value": fam_formulas,
    "wrong types": fam_wrong_types,
    "duplicated rows": fam_duplicated_rows,
    "sheets and headers": fam_sheets_and_headers,
    "corrupt XML members": fam_corrupt_xml,
    "zip flag bits": fam_zip_flags,
    "truncated files": fam_truncated,
    "entity bombs": fam_entity_bombs,
    "follow-up sheets": fam_follow_up_sheets,
    "byte flips": fam_byte_flips,
}


def _cases():
    rng = random.Random(SEED)
    cases = []
    for family, make in FAMILIES.items():
        for ident, data, expect in make(rng):
            cases.append(pytest.param(family, len(cases), data, expect, id=f"{family}:{ident}"[:90]))
    return cases


CASES = _cases()
OUTCOMES: Counter[tuple[str, str]] = Counter()


def test_the_suite_is_large_enough():
    assert len(CASES) >= 150
    assert len({c.values[0] for c in CASES}) == len(FAMILIES)


def _assert_sane(actuals: R.Actuals) -> None:
    """An accepted workbook gives finite numbers within the documented domain bounds."""
    checks = [
        (actuals.savings, "etp_freed", R.MAX_FTE),
        (actuals.savings, "unit_cost_keur", R.MAX_UNIT_COST_KEUR),
        (actuals.credits, "ae_keur", R.MAX_AMOUNT_KEUR),
        (actuals.credits, "cp_keur", R.MAX_AMOUNT_KEUR),
        (actuals.indicators, "value", R.MAX_INDICATOR_VALUE),
    ]
    for frame, column, bound in checks:
        for x in frame[column]:
            assert (math.isnan(x) and column == "unit_cost_keur") or (math.isfinite(x) and abs(x) <= bound)


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize(("family", "index", "data", "expect"), CASES)
def test_mutant_is_read_or_refused_cleanly(family, index, data, expect, tmp_path, capsys):
    path = tmp_path / "mutant.xlsx"
    path.write_bytes(data)
    start = time.perf_counter()
    try:
        actuals = R.read_actuals(path)
        outcome = "accepted"
    except InputError as exc:  # any other exception fails the test
        outcome = "refused"
        assert exc.message and len(exc.message) < 1000
        assert all(len(p) < 1000 for p in exc.problems)
    elapsed = time.perf_counter() - start
    assert elapsed < TIME_GUARD_S, f"{elapsed:.1f} s"
    OUTCOMES[(family, outcome)] += 1
    if outcome == "accepted":
        _assert_sane(actuals)
    if expect != "any":
        assert outcome == {"ok": "accepted", "error": "refused"}[expect]
    if index % 8 == 0:  # every eighth case through the command line, in process
        code = main(["check", "--actuals", str(path)])
        err = capsys.readouterr().err
        assert code == (0 if outcome == "accepted" else 2)
        assert "Traceback" not in err
        assert len(err.splitlines()) <= 52


def test_outcome_counts_by_family(capsys):
    """Print the counts (run last in this file; -s shows them); each family ran."""
    if not OUTCOMES:
        pytest.skip("run with the mutants")
    with capsys.disabled():
        for family in FAMILIES:
            print(
                f"\n{family}: accepted {OUTCOMES[(family, 'accepted')]}, refused {OUTCOMES[(family, 'refused')]}",
                end="",
            )
    assert sum(OUTCOMES.values()) == len(CASES)


def test_cases_are_reproducible():
    """Same seed, same mutants, byte for byte (zip entries carry a fixed date)."""
    again = _cases()
    assert [c.id for c in again] == [c.id for c in CASES]
    assert all(a.values[2] == b.values[2] for a, b in zip(again, CASES, strict=True))

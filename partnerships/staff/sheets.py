"""Reading the first sheet of an uploaded .xlsx as a stream, within bounds (for imports.py).

An .xlsx is a zip of XML parts. Excel's reader (openpyxl) parses a sheet whole before the first
row when the sheet does not state its size (`<dimension>`), and keeps every shared string: a 151 KB
file took 24 s, a 153 KB shared-strings part 30 s of CPU and 430 MB. This reader feeds each part
to expat in chunks and stops as soon as a bound is passed:

- the rows: at the row limit, while reading, whatever the sheet says of its size; the row
  elements (blank ones included) and the cells of a row; a value beyond the column limit;
- the unpacked size of each part, as the zip declares it and as it is actually read (a zip bomb);
- the shared strings: only those up to the highest one the rows use are read, never more than
  a full import could use (`Limits.strings`), nor more characters than it could hold;
- the time the whole file may take (`Limits.seconds`).

A part with a DOCTYPE (entities, the way to a "billion laughs") is refused. Values come back as
openpyxl gives them (text, int, float, bool, datetime for a date-formatted number), so an import
reads the same cells either way.
"""

import datetime
import io
import posixpath
import time
import zipfile
import zlib
from dataclasses import dataclass
from xml.parsers import expat

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

CHUNK = 64 * 1024  # unpacked bytes fed to the parser at a time
MAX_STYLES = 65_536  # cell formats a workbook may define (Excel's own limit is 64,000)
MAX_CELLS_IN_ROW = 16_384  # Excel's last column, XFD


@dataclass(frozen=True)
class Limits:
    rows: int  # rows that hold a value, the header included
    columns: int
    part: int  # unpacked bytes of any one part
    unpacked: int  # unpacked bytes of the whole file, as declared
    strings: int  # shared strings a file may use
    characters: int  # characters of all the shared strings read
    seconds: float


class TooBig(Exception):
    """The file holds more than an import may read: `what` says which bound it passed ("rows",
    "columns", "part", "unpacked", "strings", "time"); the caller words it."""

    def __init__(self, what):
        self.what = what
        super().__init__(what)


def unreadable():
    return ValidationError(_("This is not an Excel (.xlsx) file that can be read."))


class _Enough(Exception):
    """Raised by a handler to stop parsing a part: everything needed has been read."""


def _local(name):
    return name[name.rfind(" ") + 1 :]


def _column(reference):
    """0 for "A1", 27 for "AB7"; None for a reference without letters."""
    number = 0
    for char in reference:
        if "A" <= char <= "Z":
            number = number * 26 + ord(char) - 64
        else:
            break
    return number - 1 if number else None


class SharedString(int):
    """A cell's index into the shared strings, resolved once they are read."""


class Reader:
    """`rows()` reads the first sheet; `rows_read`, `strings_read` and `bytes_read` say how far it got."""

    def __init__(self, content, limits):
        self.limits = limits
        self.rows_read = 0  # row elements of the sheet, blank ones included
        self.strings_read = 0
        self.bytes_read = 0
        self.deadline = time.monotonic() + limits.seconds
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(content))
            infos = self.archive.infolist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
            raise unreadable() from error
        if sum(info.file_size for info in infos) > limits.unpacked:
            raise TooBig("unpacked")

    # --- Parts --------------------------------------------------------------------------------

    def parse(self, name, start=None, end=None, text=None, limit=None):
        """Feed one part to expat with these handlers, chunk by chunk, within the bounds."""
        try:
            info = self.archive.getinfo(name)
        except KeyError as error:
            raise unreadable() from error
        limit = min(limit or self.limits.part, self.limits.part)
        if info.file_size > limit:
            raise TooBig("part")
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.StartDoctypeDeclHandler = self.refuse_doctype
        parser.EntityDeclHandler = self.refuse_doctype
        if start:
            parser.StartElementHandler = start
        if end:
            parser.EndElementHandler = end
        if text:
            parser.CharacterDataHandler = text
        read = 0
        try:
            with self.archive.open(info) as part:
                while chunk := part.read(CHUNK):
                    read += len(chunk)
                    self.bytes_read += len(chunk)
                    if read > limit:
                        raise TooBig("part")
                    if time.monotonic() > self.deadline:
                        raise TooBig("time")
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except _Enough:
            pass
        except (expat.ExpatError, zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError) as error:
            raise unreadable() from error
        except NotImplementedError as error:  # a compression method zipfile does not have
            raise unreadable() from error

    @staticmethod
    def refuse_doctype(*args):
        raise unreadable()

    def relationships(self, name):
        """[(id, type's last word, target path)] of a part's relationships (_rels/….rels)."""
        folder, base = posixpath.split(name)
        rels = posixpath.join(folder, "_rels", f"{base}.rels")
        found = []
        if rels not in self.archive.namelist():
            return found

        def start(element, attributes):
            if _local(element) == "Relationship" and attributes.get("Target"):
                kind = attributes.get("Type", "").rsplit("/", 1)[-1]
                target = attributes["Target"]
                path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
                found.append((attributes.get("Id", ""), kind, posixpath.normpath(path)))

        self.parse(rels, start=start, limit=1024 * 1024)
        return found

    # --- The workbook -------------------------------------------------------------------------

    def rows(self):
        """The first sheet's rows, each a list of values (None where a cell is empty)."""
        package = {kind: path for _id, kind, path in reversed(self.relationships(""))}
        workbook = package.get("officeDocument", "xl/workbook.xml")
        related = self.relationships(workbook)
        kinds = {kind: path for _id, kind, path in reversed(related)}
        sheet_ids, epoch = [], CALENDAR_WINDOWS_1900

        def start(element, attributes):
            nonlocal epoch
            local = _local(element)
            if local == "sheet":
                sheet_ids.extend(value for key, value in attributes.items() if key.endswith(" id"))
            elif local == "workbookPr" and attributes.get("date1904") in ("1", "true"):
                epoch = CALENDAR_MAC_1904

        self.parse(workbook, start=start, limit=8 * 1024 * 1024)
        worksheets = {rid: path for rid, kind, path in related if kind == "worksheet"}
        sheets = [worksheets[rid] for rid in sheet_ids if rid in worksheets]
        sheet = sheets[0] if sheets else "xl/worksheets/sheet1.xml"
        dates = self.date_styles(kinds.get("styles"))
        rows, highest = self.read_sheet(sheet, dates, epoch)
        if highest >= 0:
            strings = self.read_strings(kinds.get("sharedStrings", "xl/sharedStrings.xml"), highest)
            for row in rows:
                for index, value in enumerate(row):
                    if isinstance(value, SharedString):
                        row[index] = strings[value]
        return rows

    def date_styles(self, name):
        """The cell styles whose number format is a date, as openpyxl decides."""
        if not name or name not in self.archive.namelist():
            return set()
        custom, styles = {}, []
        inside = []

        def start(element, attributes):
            local = _local(element)
            inside.append(local)
            if local == "numFmt":
                custom[attributes.get("numFmtId", "")] = attributes.get("formatCode", "")
            elif local == "xf" and len(inside) > 1 and inside[-2] == "cellXfs":
                styles.append(attributes.get("numFmtId", "0"))
                if len(styles) > MAX_STYLES:
                    raise unreadable()

        def end(element):
            inside.pop()

        self.parse(name, start=start, end=end, limit=8 * 1024 * 1024)
        dates = set()
        for index, number in enumerate(styles):
            code = custom.get(number) or (BUILTIN_FORMATS.get(int(number), "General") if number.isdigit() else "")
            if code and is_date_format(code):
                dates.add(index)
        return dates

    # --- The sheet ----------------------------------------------------------------------------

    def read_sheet(self, name, dates, epoch):
        limits = self.limits
        rows = []
        row, cell, text = {}, {}, []
        state = {"collect": False, "phonetic": False, "next": 0, "cells": 0, "highest": -1}

        def start(element, attributes):
            local = _local(element)
            if local == "c":
                reference = attributes.get("r")
                column = _column(reference) if reference else None
                column = state["next"] if column is None else column
                state["next"] = column + 1
                state["cells"] += 1
                if state["cells"] > MAX_CELLS_IN_ROW:
                    raise TooBig("columns")
                cell.clear()
                cell.update(column=column, type=attributes.get("t", "n"), style=attributes.get("s", "0"))
                text.clear()
            elif local == "v" or (local == "t" and not state["phonetic"]):
                state["collect"] = True
            elif local == "rPh":  # a phonetic reading Excel keeps beside Japanese text, not the text
                state["phonetic"] = True
            elif local == "row":
                self.rows_read += 1
                if self.rows_read > 2 * limits.rows:  # blank rows are read too, never without end
                    raise TooBig("rows")
                row.clear()
                state.update(next=0, cells=0)

        def end(element):
            local = _local(element)
            if local in ("v", "t"):
                state["collect"] = False
            elif local == "rPh":
                state["phonetic"] = False
            elif local == "c":
                value = self.value(cell, "".join(text), dates, epoch)
                if value is not None and value != "":
                    if cell["column"] >= limits.columns:
                        raise TooBig("columns")
                    if isinstance(value, SharedString):
                        if value >= limits.strings:
                            raise TooBig("strings")
                        state["highest"] = max(state["highest"], value)
                    row[cell["column"]] = value
            elif local == "row" and row:
                values = [None] * (max(row) + 1)
                for column, value in row.items():
                    values[column] = value
                rows.append(values)
                if len(rows) > limits.rows:
                    raise TooBig("rows")

        def characters(data):
            if state["collect"]:
                text.append(data)

        self.parse(name, start=start, end=end, text=characters)
        return rows, state["highest"]

    @staticmethod
    def value(cell, text, dates, epoch):
        kind = cell["type"]
        if kind == "s":
            return SharedString(int(text)) if text.strip().isdigit() else None
        if kind in ("inlineStr", "str", "e"):
            return text
        if kind == "b":
            return text.strip() in ("1", "true")
        if kind == "d":
            try:
                return datetime.datetime.fromisoformat(text.strip())
            except ValueError:
                return text
        if not text.strip():
            return None
        try:
            number = int(text) if text.strip().lstrip("-").isdigit() else float(text)
        except ValueError:
            return text
        if cell["style"].isdigit() and int(cell["style"]) in dates:
            try:
                return from_excel(number, epoch)
            except (ValueError, OverflowError):
                return number
        return number

    # --- Shared strings -----------------------------------------------------------------------

    def read_strings(self, name, highest):
        """The shared strings up to number `highest`, the last a row uses; those after are never read."""
        limits = self.limits
        strings, text = [], []
        state = {"collect": False, "phonetic": False, "characters": 0}

        def start(element, attributes):
            local = _local(element)
            if local == "si":
                text.clear()
            elif local == "t" and not state["phonetic"]:
                state["collect"] = True
            elif local == "rPh":
                state["phonetic"] = True

        def end(element):
            local = _local(element)
            if local == "t":
                state["collect"] = False
            elif local == "rPh":
                state["phonetic"] = False
            elif local == "si":
                strings.append("".join(text))
                self.strings_read += 1
                if len(strings) > highest:
                    raise _Enough

        def characters(data):
            if state["collect"]:
                state["characters"] += len(data)
                if state["characters"] > limits.characters:
                    raise TooBig("strings")
                text.append(data)

        self.parse(name, start=start, end=end, text=characters)
        if len(strings) <= highest:
            raise unreadable()  # a cell names a string the file does not have
        return strings

"""How a result leaves the site: one registry of output formats.

A view describes its result once (`Result`: its name, its records in order, their columns, and
for JSON the document around them) and asks for the format the request chose, read from the
cleaned form (`output_format`). HTML stays with the view's template; every other format is a
renderer in `RENDERERS`, so a new format is one function here. Bad input answers 400 in the
format asked for (`render_errors`), saying what was wrong.
"""

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

from partnerships.public import exports
from partnerships.public.exports import export_filename, rows_of, stream_csv, xlsx_response


@dataclass
class Result:
    """What a view shows, in a form every renderer can take."""

    name: str  # "relationships", "search": the start of a file's name and the sheet's title
    querysets: list  # every record, in order: one queryset, or one per kind of record (search)
    columns: dict  # {model: [Column]}: the columns of each kind of record
    header: list  # the column names of a file
    labels: list = field(default_factory=list)  # the chosen filter values, for a file's name
    document: Callable[[], dict] | None = None  # the JSON document (a page with facets, search groups)
    bom: bool = False  # start a CSV file with a byte-order mark, for Excel


def output_format(form):
    """The format a request asks for ("html" unless `format` is valid and says otherwise), from the
    cleaned form: a valid `format` counts even when another field is wrong, so that errors come back
    in the format asked for."""
    form.is_valid()
    return form.cleaned_data.get("format") or "html"


def _rows(result, request, limit=None):
    return itertools.chain.from_iterable(
        rows_of(queryset, request, result.columns[queryset.model], limit=limit) for queryset in result.querysets
    )


def render_json(result, request):
    return JsonResponse(result.document(), json_dumps_params={"ensure_ascii": False})


# A file answers HEAD with its headers only (`head`): nothing is read or written for a body no one gets.


def render_csv(result, request):
    filename = export_filename(result.name, result.labels, "csv")
    count = sum(queryset.count() for queryset in result.querysets)
    head = request.method == "HEAD"
    return stream_csv(_rows(result, request), result.header, filename, bom=result.bom, count=count, head=head)


def render_xlsx(result, request):
    filename = export_filename(result.name, result.labels, "xlsx")
    if request.method == "HEAD":
        return xlsx_response(iter(()), result.header, 0, filename, result.name, 0, head=True)
    total = sum(queryset.count() for queryset in result.querysets)
    limit = exports.XLSX_MAX_ROWS
    return xlsx_response(_rows(result, request, limit=limit), result.header, total, filename, result.name, limit)


RENDERERS = {"json": render_json, "csv": render_csv, "xlsx": render_xlsx}
# Formats that carry every record of a result rather than a page of it.
FILES = {"csv", "xlsx"}


def render(file_format, result, request):
    return RENDERERS[file_format](result, request)


def render_errors(file_format, errors, status=400):
    """400 (or `status`), in the format asked for: {"errors": {field: [message]}} for JSON, plain
    text for files."""
    messages = {name: [str(error) for error in errs] for name, errs in errors.items()}
    if file_format == "json":
        return JsonResponse({"errors": messages}, status=status)
    lines = [f"{name}: {' '.join(errs)}" for name, errs in messages.items()]
    text = _("Nothing was exported: some filters could not be understood.") + "\n" + "\n".join(lines)
    return HttpResponseBadRequest(text, content_type="text/plain; charset=utf-8")

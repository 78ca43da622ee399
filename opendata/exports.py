"""Downloads of any search and of a shortlist: ``/practices/export.csv``, ``.xlsx`` and ``.json``
with the search page's parameters (and ``p=<slug>`` repeated for a shortlist).

CSV and JSON stream: rows are read in chunks (``QuerySet.iterator`` with their links prefetched
per chunk) and written as they come, so a download of the whole collection holds one chunk in
memory, and its first bytes leave at once. An XLSX file is a zip archive that is only readable
once complete: openpyxl's write-only mode writes it row by row to a temporary file, which is then
sent. Each file says where it comes from, under which licence, and how to cite it: in the Link
header, and in the XLSX file's properties and "About" sheet, and the JSON document's fields.
"""

import csv
import json
import tempfile
from functools import wraps

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from web import shortlist

from .api.serializers import PracticeSerializer
from .records import HEADER, practice_row
from .selectors import practice_search_records
from .throttling import DownloadThrottle

CHUNK = 500
SHORTLIST_LIMIT = shortlist.MAX_ITEMS  # a shortlist is the longest list a visitor makes
BOM = "\ufeff"  # so that Excel reads the file as UTF-8
# A cell starting with one of these is read as a formula by spreadsheets: a text written by a
# contributor must never run as one in a policy officer's spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def licence_text():
    return _("Licence: %(name)s (%(url)s).") % {
        "name": settings.OPEN_DATA_LICENCE_NAME,
        "url": settings.OPEN_DATA_LICENCE_URL,
    }


def citation_text(request):
    """How to cite the data: the site, its address, the day it was retrieved."""
    return _("%(site)s, %(address)s, retrieved on %(date)s.") % {
        "site": settings.SITE_NAME,
        "address": request.build_absolute_uri("/"),
        "date": timezone.localdate().isoformat(),
    }


def _throttled(view):
    """Downloads cost more than a page: a limit per client of their own (429 past it)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        throttle = DownloadThrottle()
        if not throttle.allow_request(request, None):
            wait = int(throttle.wait() or 1)
            response = HttpResponse(
                _("Too many downloads: try again in %(seconds)s seconds.") % {"seconds": wait},
                status=429,
                content_type="text/plain; charset=utf-8",
            )
            response["Retry-After"] = str(wait)
            return response
        return view(request, *args, **kwargs)

    return wrapped


def _export(request):
    """The search's practices with their records, or a 400 response for unusable parameters."""
    slugs = None
    if "p" in request.GET:
        slugs = list(dict.fromkeys(slug for slug in request.GET.getlist("p") if slug))
        if len(slugs) > SHORTLIST_LIMIT:
            return None, HttpResponse(
                _("A list to download holds at most %(limit)s practices.")
                % {"limit": SHORTLIST_LIMIT},
                status=400,
                content_type="text/plain; charset=utf-8",
            )
    filterset, practices = practice_search_records(request.GET, slugs=slugs)
    problem = filterset.words_problem()
    if problem:
        return None, HttpResponse(problem, status=400, content_type="text/plain; charset=utf-8")
    return practices, None


def _headers(response, request, extension):
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="practices-{stamp}.{extension}"'
    response["Link"] = (
        f'<{settings.OPEN_DATA_LICENCE_URL}>; rel="license", '
        f'<{request.build_absolute_uri(reverse("site:open_data"))}>; rel="describedby"'
    )
    return response


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"  # the columns' names are English too: one vocabulary
    return str(value)


def _neutralised(text):
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class _Echo:
    """A file-like object whose ``write`` returns what it is given: the csv writer's output,
    line by line, for a streaming response (Django's documented pattern)."""

    def write(self, value):
        return value


def _csv_lines(practices, request):
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow(HEADER)
    for practice in practices.iterator(chunk_size=CHUNK):
        row = practice_row(practice, absolute_url=request.build_absolute_uri)
        yield writer.writerow([_neutralised(_cell_text(value)) for value in row])


@require_GET
@_throttled
def export_csv(request):
    practices, problem = _export(request)
    if problem:
        return problem
    response = StreamingHttpResponse(
        _csv_lines(practices, request), content_type="text/csv; charset=utf-8"
    )
    return _headers(response, request, "csv")


def _xlsx_cell(sheet, value):
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text, not a formula
    return cell


@require_GET
@_throttled
def export_xlsx(request):
    practices, problem = _export(request)
    if problem:
        return problem
    workbook = Workbook(write_only=True)
    workbook.properties.title = _("Good practices")
    workbook.properties.creator = settings.SITE_NAME
    workbook.properties.description = f"{licence_text()} {citation_text(request)}"
    workbook.properties.identifier = request.build_absolute_uri()
    sheet = workbook.create_sheet(_("Practices"))
    sheet.freeze_panes = "A2"
    sheet.append(HEADER)
    for practice in practices.iterator(chunk_size=CHUNK):
        row = practice_row(practice, absolute_url=request.build_absolute_uri)
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    about = workbook.create_sheet(_("About"))
    for label, value in [
        (_("Source"), request.build_absolute_uri()),
        (_("Licence"), f"{settings.OPEN_DATA_LICENCE_NAME} ({settings.OPEN_DATA_LICENCE_URL})"),
        (_("How to cite"), citation_text(request)),
        (_("Generated"), timezone.localtime().strftime("%Y-%m-%d %H:%M %Z")),
    ]:
        about.append([label, value])
    file = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it once sent)
    workbook.save(file)
    file.seek(0)
    response = FileResponse(
        file,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    return _headers(response, request, "xlsx")


def _json_chunks(practices, request, head):
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "practices": ['
    context = {"request": request}
    for position, practice in enumerate(practices.iterator(chunk_size=CHUNK)):
        record = PracticeSerializer(practice, context=context).data
        yield ("," if position else "") + json.dumps(
            record, cls=DjangoJSONEncoder, ensure_ascii=False
        )
    yield "]}\n"


@require_GET
@_throttled
def export_json(request):
    practices, problem = _export(request)
    if problem:
        return problem
    # Made here, not in the stream: the texts in the request's language.
    head = {
        "source": request.build_absolute_uri(),
        "licence": {
            "name": settings.OPEN_DATA_LICENCE_NAME,
            "url": settings.OPEN_DATA_LICENCE_URL,
        },
        "citation": citation_text(request),
        "generated": timezone.now().isoformat(),
    }
    response = StreamingHttpResponse(
        _json_chunks(practices, request, head), content_type="application/json; charset=utf-8"
    )
    return _headers(response, request, "json")

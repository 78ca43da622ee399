"""Export every practice, with the admin export's columns: `manage.py export_practices`.

CSV and JSON are written row by row as the practices are read (a few queries per thousand
practices), so a collection of any size streams to the file or standard output; XLSX is built in
memory, as a workbook must be. The file imports back unchanged (``import_practices``).
"""

import csv
import json
import sys

from django.core.management.base import BaseCommand

from practices.models import Practice
from practices.resources import PracticeResource


class Command(BaseCommand):
    help = "Export every practice to CSV, JSON or XLSX (the admin export's columns)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "json", "xlsx"], default="csv")
        parser.add_argument(
            "-o", "--output", help="the file to write (default: standard output; not for XLSX)"
        )

    def handle(self, *args, format, output, **options):
        resource = PracticeResource()
        headers = resource.get_export_headers()
        queryset = Practice.objects.order_by("pk")
        if format == "xlsx":
            if not output:
                self.stderr.write("Give a file for XLSX: --output practices.xlsx")
                sys.exit(2)
            content = resource.export(queryset=queryset).export("xlsx")
            with open(output, "wb") as stream:
                stream.write(content)
            return
        if output:
            with open(output, "w", newline="", encoding="utf-8") as stream:
                self._stream(resource, queryset, headers, format, stream)
        else:
            self.stdout.ending = ""  # the rows bring their own line ends
            self._stream(resource, queryset, headers, format, self.stdout)

    def _stream(self, resource, queryset, headers, format, stream):
        practices = resource.iter_queryset(resource.filter_export(queryset))
        rows = (resource.export_resource(practice) for practice in practices)
        if format == "csv":
            writer = csv.writer(stream)
            writer.writerow(headers)
            writer.writerows(rows)
            return
        stream.write("[")
        for number, row in enumerate(rows):
            stream.write(",\n" if number else "\n")
            stream.write(json.dumps(dict(zip(headers, row, strict=True)), ensure_ascii=False))
        stream.write("\n]\n")

"""``Practice.search_document``: the names of a practice's linked records, so that a search finds
a practice by its institution, region, country, project, barriers, topics (their English and
French names) and tags.

A generated column cannot read other tables, so the document is written by one set-based
``UPDATE`` whose value is computed by the database from the linked rows: no row is read into
Python, and a row whose document is already right is not written. ``search.signals`` calls it when
a practice or its links change (in the same transaction) and, after commit and in the background,
when a linked record is renamed.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Case, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce, Concat
from django.utils import translation
from taggit.models import TaggedItem

from barriers.models import Barrier, PolicyTopic
from practices.models import Practice
from projects.countries import COUNTRIES
from projects.models import Organisation, Project, Region

# A rename of 50,000 practices' barrier is written in batches of this many practices, each in a
# transaction of its own, so that a curator's save of one of them waits a moment at most.
REFRESH_BATCH_SIZE = 2000

# The fields of each linked record that the document holds: a change of any other field needs no
# refresh.
SEARCHED_FIELDS = {
    Organisation: ["name"],
    Region: ["name", "country"],
    Project: ["acronym", "title"],
    Barrier: ["name_en", "name_fr"],
    PolicyTopic: ["name_en", "name_fr"],
}


class Joined(models.Func):
    """Texts joined with ``||``: flat, where ``Concat`` nests a pair per text, deeper than
    SQLite's parser allows for this many."""

    arg_joiner = " || "
    template = "(%(expressions)s)"
    output_field = models.TextField()


class JoinedNames(models.Aggregate):
    """The values of a group joined by spaces (``string_agg`` / SQLite's ``group_concat``), in
    order on PostgreSQL, so that a refresh of unchanged names writes nothing."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ' ' ORDER BY %(expressions)s)"
    output_field = models.TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            function="GROUP_CONCAT",
            template="%(function)s(%(expressions)s, ' ')",
            **extra_context,
        )


def _text(expression):
    return Coalesce(expression, Value(""), output_field=models.TextField())


def _joined(links, link_field, name_path):
    """The names of one kind of link of the practice, as one text."""
    return _text(
        Subquery(
            links.filter(**{link_field: OuterRef("pk")})
            .order_by()
            .values(link_field)
            .annotate(names=JoinedNames(name_path))
            .values("names")
        )
    )


def _country_name():
    """The region's country in English, as the database can write it (a CASE over the codes)."""
    with translation.override("en"):
        names = [When(country=code, then=Value(str(name))) for code, name in COUNTRIES.items()]
    return Case(*names, default=Value(""), output_field=models.TextField())


def document_expression():
    """The search document of the outer practice, computed by the database."""
    region = Region.objects.filter(pk=OuterRef("region_id"))
    parts = [
        Subquery(Organisation.objects.filter(pk=OuterRef("institution_id")).values("name")),
        Subquery(region.values("name")),
        Subquery(region.annotate(country_name=_country_name()).values("country_name")),
        Subquery(
            Project.objects.filter(pk=OuterRef("project_id"))
            .annotate(names=Concat("acronym", Value(" "), "title", output_field=models.TextField()))
            .values("names")
        ),
        # Barriers and topics in English and in French, so that French words find them too.
        _joined(Practice.barriers.through.objects, "practice_id", "barrier__name_en"),
        _joined(Practice.barriers.through.objects, "practice_id", "barrier__name_fr"),
        _joined(Practice.topics.through.objects, "practice_id", "topic__name_en"),
        _joined(Practice.topics.through.objects, "practice_id", "topic__name_fr"),
        _joined(
            TaggedItem.objects.filter(content_type=ContentType.objects.get_for_model(Practice)),
            "object_id",
            "tag__name",
        ),
    ]
    pieces = []
    for part in parts:
        pieces += [_text(part), Value(" ")]
    return Joined(*pieces[:-1])


def practice_documents_refresh(*, practice_ids=None, using="default"):
    """Rewrite the search document of the given practices (all when ``None``) where it changed.

    Returns how many practices changed. Runs in batches, each in its own transaction unless the
    caller's transaction holds them all.
    """
    if practice_ids is None:
        practice_ids = Practice.objects.using(using).order_by("pk").values_list("pk", flat=True)
    practice_ids = sorted(set(practice_ids))
    changed = 0
    for start in range(0, len(practice_ids), REFRESH_BATCH_SIZE):
        batch = practice_ids[start : start + REFRESH_BATCH_SIZE]
        document = document_expression()
        with transaction.atomic(using=using):
            changed += (
                Practice.objects.using(using)
                .filter(pk__in=batch)
                .exclude(search_document=document)
                .update(search_document=document)
            )
    return changed

"""Keep the search in step with every write: practices' search text and the facet index.

A rename of an organisation, region, project, barrier, topic or tag, or a change of a practice's
links, refreshes the practices concerned, so a search never finds a stale name; every refresh
also expires the in-memory facet index (``practices.facet_index``), which holds the facets'
names too, so any save or delete of such a record expires it. Deleting a linked record
removes its links without a signal of their own, so its practices are noted before and refreshed
after.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from taggit.models import Tag, TaggedItem

from barriers.models import Barrier, PolicyTopic
from projects.models import Organisation, Project, Region

from .facet_index import search_index_expire
from .models import Practice
from .services import practice_search_refresh

LINKED_MODELS = [Organisation, Region, Project, Barrier, PolicyTopic, Tag]


@receiver(post_save, sender=Practice)
def practice_saved(sender, instance, raw=False, **kwargs):
    if raw:
        search_index_expire()
    else:
        practice_search_refresh(practice_ids=[instance.pk])


@receiver(post_delete, sender=Practice)
def practice_deleted(sender, **kwargs):
    search_index_expire()


@receiver(m2m_changed, sender=Practice.barriers.through)
@receiver(m2m_changed, sender=Practice.topics.through)
@receiver(m2m_changed, sender=TaggedItem)
def practice_links_changed(sender, instance, action, pk_set, **kwargs):
    if isinstance(instance, Practice):
        if action.startswith("post_"):
            practice_search_refresh(practice_ids=[instance.pk])
    elif action == "pre_clear":
        # After a clear from the barrier's or topic's side the links are gone: note them now.
        instance._practices_before_clear = _linked_practice_ids(instance)
    elif action == "post_clear":
        practice_search_refresh(practice_ids=getattr(instance, "_practices_before_clear", []))
    elif action in {"post_add", "post_remove"}:
        practice_search_refresh(practice_ids=pk_set)


def linked_record_saved(sender, instance, created=False, raw=False, **kwargs):
    # A rename changes the search text of the practices linked to the record. Any save, even of
    # a new record or one without practices, expires the facet index, which holds the names and
    # slugs the facets show: practice_search_refresh expires it whatever it refreshes.
    ids = [] if raw or created else _linked_practice_ids(instance)
    practice_search_refresh(practice_ids=ids)


def linked_record_deleting(sender, instance, **kwargs):
    instance._practices_before_delete = _linked_practice_ids(instance)


def linked_record_deleted(sender, instance, **kwargs):
    practice_search_refresh(practice_ids=getattr(instance, "_practices_before_delete", []))


for model in LINKED_MODELS:
    post_save.connect(linked_record_saved, sender=model)
    pre_delete.connect(linked_record_deleting, sender=model)
    post_delete.connect(linked_record_deleted, sender=model)


def _linked_practice_ids(instance):
    linked = (
        Practice.objects.filter(tags=instance) if isinstance(instance, Tag) else instance.practices
    )
    return list(linked.values_list("pk", flat=True))

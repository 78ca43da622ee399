"""Keep every practice's search text in step with the records it links to.

A rename of an organisation, region, project, barrier, topic or tag, or a change of a practice's
links, refreshes the practices concerned, so a search never finds a stale name.
"""

from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver
from taggit.models import Tag, TaggedItem

from barriers.models import Barrier, PolicyTopic
from projects.models import Organisation, Project, Region

from .models import Practice
from .services import practice_search_refresh


@receiver(post_save, sender=Practice)
def practice_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        practice_search_refresh(practice_ids=[instance.pk])


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


@receiver(post_save, sender=Organisation)
@receiver(post_save, sender=Region)
@receiver(post_save, sender=Project)
@receiver(post_save, sender=Barrier)
@receiver(post_save, sender=PolicyTopic)
@receiver(post_save, sender=Tag)
def linked_record_saved(sender, instance, created=False, raw=False, **kwargs):
    if created or raw:
        return
    ids = _linked_practice_ids(instance)
    if ids:
        practice_search_refresh(practice_ids=ids)


def _linked_practice_ids(instance):
    linked = (
        Practice.objects.filter(tags=instance) if isinstance(instance, Tag) else instance.practices
    )
    return list(linked.values_list("pk", flat=True))

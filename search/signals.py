"""Keep ``Practice.search_document`` (linked names) in step with the records it names.

- A practice saved, or its barriers, topics or tags changed (through the practice's fields or a
  link saved on its own): its own document is rewritten in the
  same transaction (one set-based statement), so the next search finds it by its new links.
- A linked record renamed (only a change of a field the document holds counts) or deleted: its
  practices' documents are rewritten after commit by a background job (the worker,
  ``manage.py db_worker``), in batches, so that the curator's admin request does not wait for
  thousands of practices.

Counts and caches need nothing from here: the data version (``search.models.DataVersion``) is
bumped by database triggers on every write, whatever its path.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from taggit.models import Tag, TaggedItem

from practices.models import Practice, PracticeBarrier, PracticeTopic

from .documents import SEARCHED_FIELDS, practice_documents_refresh

LINKED_MODELS = {**SEARCHED_FIELDS, Tag: ["name"]}


def refresh_after_commit(practice_ids, *, using):
    """Rewrite the documents of ``practice_ids`` once the current transaction commits, in a
    background job (``search.tasks``), so that the curator's request does not wait for them."""
    from .tasks import search_documents_refresh_task

    practice_ids = sorted(set(practice_ids))
    if not practice_ids:
        return
    transaction.on_commit(
        lambda: search_documents_refresh_task.enqueue(practice_ids=practice_ids, using=using),
        using=using,
    )


@receiver(post_save, sender=Practice)
def practice_saved(sender, instance, raw=False, using="default", **kwargs):
    if not raw:
        practice_documents_refresh(practice_ids=[instance.pk], using=using)


@receiver(m2m_changed, sender=Practice.barriers.through)
@receiver(m2m_changed, sender=Practice.topics.through)
@receiver(m2m_changed, sender=TaggedItem)
def practice_links_changed(sender, instance, action, pk_set, using="default", **kwargs):
    if isinstance(instance, Practice):
        if action.startswith("post_"):
            practice_documents_refresh(practice_ids=[instance.pk], using=using)
    elif action == "pre_clear":
        # After a clear from the barrier's or topic's side the links are gone: note them now.
        instance._practices_before_clear = _linked_practice_ids(instance)
    elif action == "post_clear":
        refresh_after_commit(getattr(instance, "_practices_before_clear", []), using=using)
    elif action in {"post_add", "post_remove"}:
        practice_documents_refresh(practice_ids=pk_set, using=using)


@receiver(post_save, sender=PracticeBarrier)
@receiver(post_save, sender=PracticeTopic)
@receiver(post_delete, sender=PracticeBarrier)
@receiver(post_delete, sender=PracticeTopic)
def practice_link_saved_or_deleted(sender, instance, raw=False, using="default", **kwargs):
    """A link written on its own (the admin's inlines, the seed): its practice's document names
    what it links to."""
    if not raw:
        practice_documents_refresh(practice_ids=[instance.practice_id], using=using)


def linked_record_saving(sender, instance, raw=False, using="default", **kwargs):
    """Note whether a field the search documents hold is about to change."""
    instance._search_names_changed = False
    if raw or instance.pk is None:
        return
    fields = LINKED_MODELS[sender]
    before = sender._default_manager.using(using).filter(pk=instance.pk).values(*fields).first()
    instance._search_names_changed = before is not None and any(
        before[name] != getattr(instance, name) for name in fields
    )


def linked_record_saved(sender, instance, created=False, raw=False, using="default", **kwargs):
    if getattr(instance, "_search_names_changed", False):
        refresh_after_commit(_linked_practice_ids(instance), using=using)


def linked_record_deleting(sender, instance, **kwargs):
    instance._practices_before_delete = _linked_practice_ids(instance)


def linked_record_deleted(sender, instance, using="default", **kwargs):
    refresh_after_commit(getattr(instance, "_practices_before_delete", []), using=using)


for model in LINKED_MODELS:
    pre_save.connect(linked_record_saving, sender=model)
    post_save.connect(linked_record_saved, sender=model)
    pre_delete.connect(linked_record_deleting, sender=model)
    post_delete.connect(linked_record_deleted, sender=model)


def _linked_practice_ids(instance):
    linked = (
        Practice.objects.filter(tags=instance) if isinstance(instance, Tag) else instance.practices
    )
    return list(linked.values_list("pk", flat=True))

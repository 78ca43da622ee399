"""The curation roles, as Django groups with permissions (created by migration 0004).

Contributor  drafts practices, edits only their own while they are draft or returned, submits them.
Expert       reviews: edits any practice, returns, publishes, unpublishes, archives, validates with
             an expert opinion, imports and exports, restores earlier versions; maintains barriers,
             topics, recommendations, projects, organisations, regions and sources.
Superusers have every permission.

Contributors are staff (they use the admin) but hold no ``view_practice`` permission, so the
admin and ``PracticeQuerySet.visible_to`` show them only published practices and their own.
"""

from django.utils.translation import gettext_lazy as _

CONTRIBUTOR = "Contributor"
EXPERT = "Expert"

TAXONOMY = [
    ("barriers", "barrier"),
    ("barriers", "policytopic"),
    ("barriers", "recommendation"),
    ("projects", "project"),
    ("projects", "organisation"),
    ("projects", "region"),
    ("sources", "source"),
]

ROLE_PERMISSIONS = {
    CONTRIBUTOR: [
        ("practices", "add_practice"),
        ("practices", "change_practice"),
        # To pick linked records in the practice form (autocomplete asks for view permission).
        *((app, f"view_{model}") for app, model in TAXONOMY),
    ],
    EXPERT: [
        ("practices", "add_practice"),
        ("practices", "change_practice"),
        ("practices", "view_practice"),
        ("practices", "review_practice"),
        ("practices", "validate_practice"),
        ("practices", "import_practice"),
        ("practices", "export_practice"),
        ("practices", "view_practicetransition"),
        *(
            (app, f"{action}_{model}")
            for app, model in TAXONOMY
            for action in ("add", "change", "delete", "view")
        ),
    ],
}


def sync_roles(group_model, permission_model):
    """Create the groups and give them exactly their permissions. Safe to re-run."""
    for name, perms in ROLE_PERMISSIONS.items():
        group, _created = group_model.objects.get_or_create(name=name)
        wanted = [
            permission_model.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in perms
        ]
        group.permissions.set(wanted)


def is_reviewer(user):
    return user.is_authenticated and user.has_perm("practices.review_practice")


def role_label(user):
    """The role shown next to an expert opinion on the public page."""
    if user is not None and user.is_superuser and not user.groups.filter(name=EXPERT).exists():
        return _("Platform administrator")
    return _("Platform expert")

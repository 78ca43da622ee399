from . import shortlist


def shortlist_context(request):
    """The shortlist's slugs and size for the header link and the add/remove buttons."""
    slugs = shortlist.slugs(request)
    return {"shortlist_slugs": slugs, "shortlist_count": len(slugs)}

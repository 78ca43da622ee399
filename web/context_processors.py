from . import shortlist


def shortlist_context(request):
    """The shortlist's slugs and size for the header link and the add/remove buttons."""
    session = getattr(request, "session", None)
    slugs = shortlist.slugs(session) if session is not None else []
    return {"shortlist_slugs": slugs, "shortlist_count": len(slugs)}

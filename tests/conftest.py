import pytest
from django.core.management import call_command

from barriers.models import Barrier, PolicyTopic
from practices.models import Practice
from projects.models import Organisation, Region
from sources.models import Source


def EVIDENCE(basis="stated"):
    """The evidence of a link made by a test: complete, so that its practice can be published."""
    return {
        "basis": basis,
        "reason": "The source says the practice addresses it.",
        "source": Source.objects.get(key="policy-brief-2021"),
    }


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test starts from the seed content; each test's changes are rolled back."""
    with django_db_blocker.unblock():
        call_command("load_initial_data", verbosity=0)


@pytest.fixture
def make_practice(db):
    """Create a practice; published unless told otherwise; links given by slug or object."""
    counter = iter(range(1, 100_000))

    def make(title=None, *, barriers=(), topics=(), tags=(), status="published", **fields):
        number = next(counter)
        title = title or f"Test practice {number}"
        fields.setdefault("slug", f"test-practice-{number}-{abs(hash(title)) % 10_000}")
        fields.setdefault("summary", f"Summary of {title}.")
        if status == "published":
            from django.utils import timezone

            fields.setdefault("published_at", timezone.now())
        practice = Practice.objects.create(title=title, status=status, **fields)
        practice.barriers.set(
            (b if isinstance(b, Barrier) else Barrier.objects.get(slug=b) for b in barriers),
            through_defaults=EVIDENCE(),
        )
        practice.topics.set(
            (t if isinstance(t, PolicyTopic) else PolicyTopic.objects.get(slug=t) for t in topics),
            through_defaults=EVIDENCE(),
        )
        if tags:
            practice.tags.set(list(tags))
        return practice

    return make


@pytest.fixture
def empty_practices(db):
    """No practices at all (taxonomies stay), for hand-checked counts."""
    Practice.objects.all().delete()


@pytest.fixture
def region_es(db):
    return Region.objects.get_or_create(
        nuts_code="ES30", defaults={"name": "Madrid", "country": "ES"}
    )[0]


@pytest.fixture
def region_pl(db):
    return Region.objects.get_or_create(
        nuts_code="PL91", defaults={"name": "Warszawski stołeczny", "country": "PL"}
    )[0]


@pytest.fixture
def organisation(db, region_es):
    return Organisation.objects.create(name="Test Agency", slug="test-agency", region=region_es)


@pytest.fixture(autouse=True)
def _jobs_in_the_test(settings):
    """Background jobs (a rename's refresh, an import) run at once, in the test's own thread
    (tests of the worker turn the database backend back on), and no search result is cached from
    a test before."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Tests render templates without running collectstatic first. WhiteNoise still wants the
    folder collectstatic fills, or it warns at every request."""
    settings.STATIC_ROOT.mkdir(exist_ok=True)
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


# --- Curation roles (see practices.roles) -----------------------------------------------------


def _staff_user(username, group=None, **extra):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(
        username, f"{username}@example.org", "pw-for-tests-1", is_staff=True, **extra
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def contributor(db):
    return _staff_user("carla", "Contributor")


@pytest.fixture
def other_contributor(db):
    return _staff_user("otto", "Contributor")


@pytest.fixture
def expert(db):
    return _staff_user("erik", "Expert")


@pytest.fixture
def superuser(db):
    return _staff_user("sue", is_superuser=True)


@pytest.fixture
def draft(db, contributor, region_es):
    """A draft by ``contributor`` with everything a reader needs, ready to be submitted."""
    practice = Practice.objects.create(
        title="Regional export vouchers for first-time exporters",
        slug="regional-export-vouchers",
        summary="Vouchers pay part of a first export plan.",
        description=(
            "Small firms apply online for a voucher that pays part of the cost of their first "
            "export plan. An adviser of the regional agency meets each firm, helps it choose the "
            "market and the services it needs, and checks how the voucher was spent once the "
            "plan is done, so that the next call can learn from it."
        ),
        evidence_of_success="Most firms that used a voucher made a first sale abroad.",
        source=Source.objects.get(key="policy-brief-2021"),
        region=region_es,
        created_by=contributor,
        status="draft",
    )
    practice.barriers.set(
        [Barrier.objects.get(slug="shortage-of-working-capital")], through_defaults=EVIDENCE()
    )
    practice.topics.set(
        [PolicyTopic.objects.get(slug="financial-support")], through_defaults=EVIDENCE()
    )
    return practice

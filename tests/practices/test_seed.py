import re

import pytest
from django.core.management import call_command

from barriers.models import Barrier, PolicyTopic, Recommendation
from practices.models import Practice, PracticeBarrier, PracticeTopic
from projects.models import Organisation, Project, Region
from sources.models import Source

pytestmark = pytest.mark.django_db

REQUIRED_PRACTICES = [
    "Export Consortia",
    "Clustering for International Markets",
    "Export Consortiums",
    "Kent International Business",
    "Xport Accelerator",
    "Emilia-Romagna Go Global (ERGO)",  # the brief adds its years: 2016–2020
    "Regional Export Centre Gävleborg",
    "Passport Abroad",
    "Fryslan House",
    "Wakefield First Bondholder Scheme",
    "Standards of investor service in local government units of the Wielkopolska Region",
    "Fostering value added business cooperation between SMEs",
    "SME Instrument Donostia Inn",
    "GO4EXPORT",
    "GlobalEIS Tool",
    "Export Development Program",
    "Profitnet",
    "International Connecting Talent Internships",
    "Co-financing promotional activities of SMEs Internationalisation Consortia",
    "Call for non-exporting and non-regularly exporting businesses",
    "Incentive to the Internationalisation of SMEs – Individual projects",
]
REQUIRED_PROJECTS = [
    "SIE",
    "INTRA",
    "FFWD EUROPE",
    "COMPETE IN",
    "Inside Out EU",
    "UpGradeSME",
    "ESSPO",
    "EIS",
    "INTER VENTURES",
    "SCALE UP",
]


def test_every_named_practice_is_loaded_and_published():
    titles = set(Practice.objects.published().values_list("title", flat=True))
    # The documents name some practices with a subtitle (e.g. "Profitnet - building SME owner ...").
    missing = [name for name in REQUIRED_PRACTICES if not any(t.startswith(name) for t in titles)]
    assert not missing
    assert Practice.objects.count() == 21


def test_every_named_project_is_loaded_with_title_and_approach():
    projects = {project.acronym: project for project in Project.objects.all()}
    assert set(REQUIRED_PROJECTS) <= set(projects)
    for acronym in REQUIRED_PROJECTS:
        assert projects[acronym].title
        assert len(projects[acronym].summary) > 40


def test_eight_topics_in_two_groups_with_recommendations():
    assert PolicyTopic.objects.count() == 8
    groups = {
        group: PolicyTopic.objects.filter(group=group).count()
        for group in ["ecosystems", "support_schemes"]
    }
    assert groups == {"ecosystems": 4, "support_schemes": 4}
    for topic in PolicyTopic.objects.all():
        assert topic.recommendations.exists(), topic
    assert Recommendation.objects.filter(source__key="policy-brief-2021").count() >= 8


def test_barriers_are_linked_to_the_practices_that_address_them():
    working_capital = Barrier.objects.get(slug="shortage-of-working-capital")
    assert working_capital.practices.exists()
    # No document names a practice that addresses it.
    assert set(Barrier.objects.filter(practices__isnull=True).values_list("slug", flat=True)) == {
        "lack-of-managerial-time",
    }


def test_every_practice_records_its_source_and_links():
    for practice in Practice.objects.prefetch_related("barriers", "topics"):
        assert practice.source_id, practice
        assert practice.topics.exists(), practice
        assert practice.barriers.exists(), practice


@pytest.mark.parametrize("model", [PracticeBarrier, PracticeTopic])
def test_every_link_in_the_seed_has_its_evidence(model):
    links = list(model.objects.select_related("source"))
    assert links
    for link in links:
        assert link.basis in {"stated", "context"}, link  # no expert has judged a seed link
        assert len(link.reason) > 40, link
        assert link.source is not None, link
        assert link.evidence_missing() == [], link
        assert link.confirmed_at is None, link  # nobody has confirmed them yet


def test_a_stated_link_cites_the_document_that_describes_the_practice():
    for link in PracticeBarrier.objects.filter(basis="stated").select_related("practice"):
        assert link.source_id == link.practice.source_id, link


def test_every_record_names_its_source_documents():
    assert not Practice.objects.filter(source__isnull=True).exists()
    assert not Recommendation.objects.filter(source__isnull=True).exists()
    for model in (Barrier, PolicyTopic, Project, Organisation, Region):
        unsourced = model.objects.filter(sources__isnull=True)
        assert not unsourced.exists(), (model.__name__, list(unsourced))
    for source in Source.objects.all():
        assert re.fullmatch(r"\d{3}_[0-9a-f]{16}\.txt", source.file_reference), source


def test_inferred_facts_are_marked_in_the_data():
    inferred_region = [
        "fryslan-house",
        "wakefield-first-bondholder-scheme",
        "sme-instrument-donostia-inn",
    ]
    for slug in inferred_region:
        assert "Region inferred" in Practice.objects.get(slug=slug).source_note, slug
    assert "inferred" in Practice.objects.get(slug="export-consortia-cantabria").source_note
    assert "general knowledge" in Region.objects.get(nuts_code="UKJ4").source_note
    assert (
        "inferred" in Organisation.objects.get(slug="torun-regional-development-agency").source_note
    )


def test_every_organisation_is_linked_to_a_practice_or_a_project():
    for organisation in Organisation.objects.all():
        assert organisation.practices.exists() or organisation.projects.exists(), organisation


def test_loading_fills_the_evidence_of_links_made_before_links_had_it():
    link = PracticeBarrier.objects.get(
        practice__slug="kent-international-business", barrier__slug="fragmented-support"
    )
    PracticeBarrier.objects.filter(pk=link.pk).update(basis="", reason="", source=None)
    PracticeBarrier.objects.filter(practice__slug="passport-abroad").update(reason="Curated.")
    call_command("load_initial_data", verbosity=0)
    link.refresh_from_db()
    assert (link.basis, link.source.key) == ("stated", "webinar-export-consortia-one-stop-shop")
    assert link.reason.startswith("Presented as a one-stop-shop")
    # A curator's evidence is never overwritten.
    assert set(
        PracticeBarrier.objects.filter(practice__slug="passport-abroad").values_list(
            "reason", flat=True
        )
    ) == {"Curated."}


def test_sample_facts_trace_back_to_the_documents():
    cantabria = Practice.objects.select_related("institution", "region", "project").get(
        slug="export-consortia-cantabria"
    )
    assert cantabria.institution.name.startswith("SODERCAN")
    assert (cantabria.region.name, cantabria.region.country) == ("Cantabria", "ES")
    kent = Practice.objects.get(title="Kent International Business")
    assert kent.project.acronym == "SIE"
    xport = Practice.objects.get(title="Xport Accelerator")
    assert xport.project.acronym == "FFWD EUROPE"
    extremadura = Practice.objects.get(title="Export Consortiums")
    assert extremadura.project.acronym == "INTRA"
    assert extremadura.start_year == 2010
    assert Organisation.objects.filter(name__icontains="Torun").exists()
    assert Region.objects.get(nuts_code="PL61").country == "PL"
    assert Source.objects.get(key="policy-brief-2021").published == "2021-08"


def test_loading_twice_creates_nothing_and_keeps_admin_edits():
    practice = Practice.objects.get(slug="passport-abroad")
    practice.summary = "Edited by a curator."
    practice.save()
    practice.barriers.clear()
    counts = [
        model.objects.count()
        for model in (
            Practice,
            Project,
            Barrier,
            PolicyTopic,
            Recommendation,
            Region,
            Organisation,
            Source,
        )
    ]

    call_command("load_initial_data", verbosity=0)

    assert counts == [
        model.objects.count()
        for model in (
            Practice,
            Project,
            Barrier,
            PolicyTopic,
            Recommendation,
            Region,
            Organisation,
            Source,
        )
    ]
    practice.refresh_from_db()
    assert practice.summary == "Edited by a curator."
    assert not practice.barriers.exists()


def test_loading_recreates_a_deleted_seed_record():
    Practice.objects.filter(slug="profitnet").delete()
    call_command("load_initial_data", verbosity=0)
    assert Practice.objects.get(slug="profitnet").barriers.exists()


def test_each_seed_practice_has_one_version_that_holds_its_links_and_evidence():
    practice = Practice.objects.get(slug="kent-international-business")
    (version,) = practice.history.all()
    assert set(version.barriers.values_list("barrier__slug", "basis")) == {
        ("fragmented-support", "stated"),
        ("legal-and-administrative-burden", "context"),
    }
    assert list(version.topics.values_list("topic__slug", flat=True)) == [
        "capacity-building-in-support-ecosystems"
    ]

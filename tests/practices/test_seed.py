import pytest
from django.core.management import call_command

from barriers.models import Barrier, PolicyTopic, Recommendation
from practices.models import Practice
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
    linked = Barrier.objects.filter(practices__isnull=False).distinct().count()
    assert linked >= Barrier.objects.count() - 1  # the documents cite no practice for one barrier


def test_every_practice_records_its_source_and_links():
    for practice in Practice.objects.prefetch_related("barriers", "topics"):
        assert practice.source_id, practice
        assert practice.barriers.exists(), practice
        assert practice.topics.exists(), practice


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

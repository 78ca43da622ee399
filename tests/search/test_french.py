"""French content: the taxonomy in French, English as the fallback, and French words finding the
English practices (search.glossary), on whichever database the run uses (the suite runs on both)."""

from html import unescape

import pytest
from django.conf import settings
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation

from barriers.models import Barrier, PolicyTopic, Recommendation
from search.glossary import GLOSSARY, bilingual_query
from web.search_page import practice_search

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _back_to_english():
    yield
    translation.activate(settings.LANGUAGE_CODE)


def found(query):
    params = QueryDict(mutable=True)
    params["q"] = query
    results = practice_search(params=params, page_size=100)
    return {practice.slug for practice in results.page.object_list}


@pytest.mark.parametrize(
    ("french", "english", "expected"),
    [
        ("PME", "SME", {"export-consortia-cantabria", "profitnet", "passport-abroad"}),
        (
            "fonds de roulement",
            "working capital",
            {"call-non-exporting-businesses", "incentive-internationalisation-individual-projects"},
        ),
        (
            "consortium d'exportation",
            "export consortium",
            {
                "export-consortia-cantabria",
                "export-consortiums-extremadura",
                "co-financing-sme-internationalisation-consortia",
            },
        ),
        ("Consortiums d’exportation", "export consortium", {"export-consortia-cantabria"}),
    ],
)
def test_french_words_find_the_english_practices(french, english, expected):
    in_english = found(english)
    assert expected <= in_english
    assert found(french) >= in_english


def test_words_without_a_french_term_are_searched_as_they_are():
    assert bilingual_query("export consortia") == "export consortia"
    assert bilingual_query("marchés étrangers") == "marchés étrangers or foreign market"
    assert bilingual_query("MARCHES ETRANGERS") == "MARCHES ETRANGERS or foreign market"


def test_the_glossary_is_small_and_of_the_field():
    assert 30 <= len(GLOSSARY) <= 60
    assert GLOSSARY["PME"] == "SME"


def test_french_names_of_barriers_and_topics_are_searchable():
    linked = found("cultural differences")
    assert linked
    assert found("Différences culturelles") >= linked


def test_every_seed_barrier_topic_and_recommendation_has_its_french():
    assert not Barrier.objects.filter(name_fr__isnull=True).exists()
    assert not Barrier.objects.filter(description_fr__isnull=True).exists()
    assert not PolicyTopic.objects.filter(name_fr__isnull=True).exists()
    assert not Recommendation.objects.filter(text_fr__isnull=True).exists()


def test_french_pages_show_the_french_taxonomy(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = client.get(reverse("barriers:detail", args=["shortage-of-working-capital"]))
    html = page.content.decode()
    assert '<h1 lang="fr">Manque de fonds de roulement pour financer les exportations</h1>' in html
    topic = client.get(reverse("topics:detail", args=["financial-support"])).content.decode()
    assert '<h1 lang="fr">Soutien financier</h1>' in topic
    assert "Donner à davantage d’entreprises accès au fonds de roulement" in unescape(topic)
    listing = client.get(reverse("practices:list")).content.decode()
    assert "Faible maturité numérique" in listing  # the barrier facet, in French


def test_an_untranslated_text_falls_back_to_english_and_says_so(client):
    barrier = Barrier.objects.get(slug="low-digital-maturity")
    barrier.name_fr = None
    barrier.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    html = client.get(barrier.get_absolute_url()).content.decode()
    assert '<h1 lang="en">Low digital maturity</h1>' in html


def test_english_pages_stay_english(client):
    html = client.get(reverse("topics:detail", args=["financial-support"])).content.decode()
    assert '<h1 lang="en">Financial support</h1>' in html
    assert "Soutien financier" not in html


def test_curators_write_the_french_in_the_admin(client, expert):
    client.force_login(expert)
    barrier = Barrier.objects.get(slug="cultural-differences")
    html = client.get(reverse("admin:barriers_barrier_change", args=[barrier.pk])).content
    assert b'name="name_en"' in html and b'name="name_fr"' in html
    topic = PolicyTopic.objects.get(slug="financial-support")
    html = client.get(reverse("admin:barriers_policytopic_change", args=[topic.pk])).content
    assert b'name="recommendations-0-text_fr"' in html

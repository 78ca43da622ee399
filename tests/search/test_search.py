"""Search and facets, on whichever database the run uses (the suite runs on both)."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from barriers.models import Barrier
from practices.models import Practice
from projects.models import Organisation
from search.text import all_of_words, any_of_words
from web.search_page import practice_search
from web.selectors import barrier_topic_matrix

pytestmark = pytest.mark.django_db


def search(query_string="", **kwargs):
    return practice_search(params=QueryDict(query_string), **kwargs)


def slugs(results):
    return [practice.slug for practice in results.page.object_list]


@pytest.mark.parametrize(
    ("query", "expected_first"),
    [
        ("SODERCAN", "export-consortia-cantabria"),
        ("internships", "international-connecting-talent-internships"),
        ("bondholder", "wakefield-first-bondholder-scheme"),
        ("Xport Accelerator", "xport-accelerator"),
        ("Gävleborg", "regional-export-centre-gavleborg"),
        ("Kent", "kent-international-business"),
        ("Profitnet", "profitnet"),
    ],
)
def test_distinctive_words_rank_their_practice_first(query, expected_first):
    results = search(f"q={query}")
    assert slugs(results)[0] == expected_first


def test_relevance_prefers_a_title_match_over_a_passing_mention(make_practice):
    make_practice("Harbour logistics support", summary="Ports and shipping.")
    make_practice("Something else", description="One sentence mentions harbour in passing.")
    assert slugs(search("q=harbour"))[0].startswith("test-practice")
    assert search("q=harbour").page.object_list[0].title == "Harbour logistics support"


def card_texts(response):
    return [
        text.split("</p>")[0]
        for text in response.content.decode().split('<p class="card__text" lang="en">')[1:]
    ]


def test_a_card_marks_the_matched_words_in_its_text(client, make_practice):
    make_practice(
        "Harbour logistics support",
        summary="Regional ports help small exporters book shipping together.",
        description="Firms that ship little share containers, so each pays less per crate.",
    )
    (text,) = card_texts(client.get("/practices/", {"q": "shipping containers"}))
    assert "<mark>shipping</mark>" in text
    assert "<mark>containers</mark>" in text


def test_a_card_matched_only_by_its_title_shows_its_whole_summary(client, make_practice):
    # Longer than a snippet: a cut-off passage with nothing marked would explain nothing.
    summary = (
        "Regional ports help small exporters book shipping together, share the cost of "
        "customs paperwork and insurance, and learn from firms that already sell abroad, "
        "with an adviser who follows each company through its first year of orders from "
        "customers in other countries."
    )
    make_practice("Harbour logistics support", summary=summary, description="Ships. " * 60)
    (text,) = card_texts(client.get("/practices/", {"q": "harbour"}))
    assert text == summary


def test_stemming_finds_other_forms_of_a_word():
    assert "call-non-exporting-businesses" in slugs(search("q=export"))
    exporting = set(slugs(search("q=exporting")))
    assert "export-consortia-cantabria" in exporting


@pytest.mark.parametrize(
    ("query", "written"),
    [
        ("consortium", "Our consortia help firms."),
        ("consortia", "Each consortium helps firms."),
        ("SME", "It serves SMEs in the valley."),
        ("SMEs", "It serves one SME at a time."),
        ("internationalization", "Supports the internationalisation of firms."),
        ("internationalisation", "Supports the internationalization of firms."),
    ],
)
def test_vocabulary_expansion_finds_the_other_form(make_practice, query, written):
    practice = make_practice("Quokka scheme", summary=written)
    assert practice.slug in slugs(search(f"q={query}+quokka"))


def test_websearch_syntax_phrases_exclusion_and_or():
    phrase = set(slugs(search('q="export consortia"')))
    assert "export-consortia-cantabria" in phrase
    assert "kent-international-business" not in phrase
    cluster = set(slugs(search("q=cluster")))
    without_kent = set(slugs(search("q=cluster+-kent")))
    assert without_kent and without_kent <= cluster
    assert "kent-international-business" not in without_kent
    assert set(slugs(search("q=kent+or+cantabria"))) == {
        "kent-international-business",
        "export-consortia-cantabria",
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("SODERCAN", "export-consortia-cantabria"),  # institution
        ("Cantabria", "export-consortia-cantabria"),  # region
        ("Spain", "export-consortia-cantabria"),  # country
        ("FFWD", "xport-accelerator"),  # project acronym
        ("poorly", "kent-international-business"),  # barrier name
        ("joint+marketing", "export-consortia-cantabria"),  # tag
    ],
)
def test_names_of_linked_records_are_searchable(query, expected):
    assert expected in slugs(search(f"q={query}"))


def test_renaming_a_linked_record_updates_search_after_commit(
    make_practice, organisation, django_capture_on_commit_callbacks
):
    practice = make_practice("Renamed agency practice", institution=organisation)
    assert practice.slug in slugs(search("q=Test+Agency"))
    with django_capture_on_commit_callbacks(execute=True) as refreshes:
        organisation.name = "Wombat Development Office"
        organisation.save()
    assert len(refreshes) == 1
    assert practice.slug in slugs(search("q=Wombat"))
    assert practice.slug not in slugs(search('q="Test Agency"'))

    barrier = Barrier.objects.get(slug="cultural-differences")
    practice.barriers.add(barrier)  # the practice's own links: at once, no commit needed
    assert practice.slug in slugs(search("q=cultural"))
    with django_capture_on_commit_callbacks(execute=True):
        barrier.name = "Platypus obstacles"
        barrier.save()
    assert practice.slug in slugs(search("q=platypus"))

    practice.tags.add("narwhal")
    assert practice.slug in slugs(search("q=narwhal"))


def test_only_a_change_of_a_searched_name_refreshes_the_practices(
    make_practice, organisation, django_capture_on_commit_callbacks
):
    make_practice("Agency practice", institution=organisation)
    with django_capture_on_commit_callbacks() as refreshes:
        organisation.website = "https://example.org/"
        organisation.save()
        barrier = Barrier.objects.get(slug="cultural-differences")
        barrier.description = "A new description, not searched by name."
        barrier.save()
    assert refreshes == []
    with django_capture_on_commit_callbacks() as refreshes:
        organisation.name = "Renamed agency"
        organisation.save()
    assert len(refreshes) == 1


def test_rebuild_command_restores_a_stale_index(make_practice):
    practice = make_practice("Stale", institution=Organisation.objects.get(slug="sodercan"))
    Practice.objects.filter(pk=practice.pk).update(search_document="")
    assert practice.slug not in slugs(search("q=SODERCAN"))
    call_command("rebuild_search_index", verbosity=0)
    assert practice.slug in slugs(search("q=SODERCAN"))


@pytest.mark.parametrize(
    "query",
    [
        "&",
        "'",
        '"',
        '"unclosed',
        "-",
        "or",
        "a:*",
        "(x)|!y",
        "%_%",
        "\\",
        "  ",
        "ü" * 150,
        "-export",
    ],
)
def test_odd_queries_never_fail(client, query):
    response = client.get("/practices/", {"q": query})
    assert response.status_code == 200


def test_an_absurdly_long_query_is_refused_with_a_message(client):
    response = client.get("/practices/", {"q": "export " * 200})
    assert response.status_code == 200
    assert "Search words are too long: use at most 200 characters." in response.content.decode()
    # The words were not used: every published practice is listed, none dropped.
    assert response.context["results"].total == Practice.objects.published().count()


# -- Facets -----------------------------------------------------------------------------------


@pytest.fixture
def small_world(empty_practices, make_practice, region_es, region_pl):
    """Five published practices and one draft, with counts checked by hand below."""
    make_practice(
        "P1",
        barriers=["shortage-of-working-capital"],
        topics=["financial-support"],
        region=region_es,
        tags=["alpha"],
    )
    make_practice(
        "P2",
        barriers=["shortage-of-working-capital", "cultural-differences"],
        topics=["financial-support"],
        region=region_pl,
    )
    make_practice(
        "P3",
        barriers=["cultural-differences"],
        topics=["support-infrastructure"],
        region=region_es,
        validated=True,
    )
    make_practice(
        "P4",
        barriers=["untrained-personnel"],
        topics=["support-infrastructure"],
        region=region_pl,
        ongoing=True,
        tags=["alpha"],
    )
    make_practice(
        "P5",
        barriers=[],
        topics=["financial-support"],
        region=None,
        implementation_level="regional",
    )
    make_practice(
        "Draft",
        barriers=["shortage-of-working-capital"],
        topics=["financial-support"],
        region=region_es,
        status="draft",
    )


def counts(results, facet):
    return {
        value.value: value.count
        for f in results.facets
        if f.name == facet
        for value in f.values
        if value.count
    }


def test_facet_counts_without_filters(small_world):
    results = search()
    assert results.total == 5
    assert counts(results, "barrier") == {
        "shortage-of-working-capital": 2,
        "cultural-differences": 2,
        "untrained-personnel": 1,
    }
    # The fifth practice names no place: counted under "not stated", not dropped.
    assert counts(results, "country") == {"ES": 2, "PL": 2, "not-stated": 1}
    assert counts(results, "topic") == {"financial-support": 3, "support-infrastructure": 2}
    assert counts(results, "validated") == {"1": 1}
    assert counts(results, "ongoing") == {"1": 1}
    assert counts(results, "tag") == {"alpha": 2}
    assert counts(results, "level") == {"regional": 1}


def test_facet_counts_are_disjunctive(small_world):
    results = search("barrier=shortage-of-working-capital")
    assert {p.title for p in results.page.object_list} == {"P1", "P2"}
    # Its own facet ignores its own filter: the other barriers stay offered with full counts.
    assert counts(results, "barrier") == {
        "shortage-of-working-capital": 2,
        "cultural-differences": 2,
        "untrained-personnel": 1,
    }
    # Other facets apply it.
    assert counts(results, "country") == {"ES": 1, "PL": 1}
    assert counts(results, "topic") == {"financial-support": 2}

    both = search("barrier=shortage-of-working-capital&country=ES")
    assert [p.title for p in both.page.object_list] == ["P1"]
    assert counts(both, "barrier") == {"shortage-of-working-capital": 1, "cultural-differences": 1}
    assert counts(both, "country") == {"ES": 1, "PL": 1}


def test_values_combine_with_or_within_a_facet_and_and_across(small_world):
    either = search("barrier=shortage-of-working-capital&barrier=untrained-personnel")
    assert {p.title for p in either.page.object_list} == {"P1", "P2", "P4"}
    narrowed = search("barrier=shortage-of-working-capital&barrier=untrained-personnel&country=PL")
    assert {p.title for p in narrowed.page.object_list} == {"P2", "P4"}
    assert {p.title for p in search("validated=1").page.object_list} == {"P3"}
    assert {p.title for p in search("ongoing=1").page.object_list} == {"P4"}
    assert {p.title for p in search("tag=alpha&country=ES").page.object_list} == {"P1"}
    assert {p.title for p in search("region=PL91").page.object_list} == {"P2", "P4"}
    assert {p.title for p in search("level=regional").page.object_list} == {"P5"}


def test_selected_values_always_show_and_chips_remove_them_one_by_one(small_world):
    results = search("country=ES&validated=1&barrier=untrained-personnel")
    assert results.total == 0
    selected = {(f.name, v.value) for f in results.facets for v in f.values if v.selected}
    assert selected == {("country", "ES"), ("validated", "1"), ("barrier", "untrained-personnel")}
    chip_urls = {chip.label: chip.url for chip in results.chips}
    untrained = Barrier.objects.get(slug="untrained-personnel").name
    assert set(chip_urls) == {"Spain", "Validated by an expert", untrained}
    assert "country" not in chip_urls["Spain"] and "validated=1" in chip_urls["Spain"]
    assert "barrier" not in chip_urls[untrained] and "country=ES" in chip_urls[untrained]
    assert results.clear_url == "?"


def test_values_with_no_result_are_disabled_not_links(client, small_world):
    import re

    html = client.get("/practices/", {"country": "ES"}).content.decode()

    def checkbox(value):
        return re.search(rf'<input[^>]*id="f-barrier-{value}"[^>]*>', html).group()

    assert "disabled" in checkbox("untrained-personnel")  # no practice in Spain
    assert "disabled" not in checkbox("cultural-differences")
    assert "?country=ES&amp;barrier=untrained-personnel" not in html


def test_unpublished_practices_are_never_counted(small_world):
    results = search("barrier=shortage-of-working-capital&country=ES")
    assert results.total == 1
    assert counts(search(), "barrier")["shortage-of-working-capital"] == 2


def test_unknown_values_are_ignored_with_a_message(client, small_world):
    response = client.get(
        "/practices/",
        {
            "barrier": ["shortage-of-working-capital", "no-such-barrier"],
            "country": "XX",
            "sort": "sideways",
            "level": "galactic",
        },
    )
    assert response.status_code == 200
    results = response.context["results"]
    assert {p.title for p in results.page.object_list} == {"P1", "P2"}
    html = response.content.decode()
    assert "no-such-barrier" in html and "XX" in html and "sideways" in html and "galactic" in html


def test_sorting(small_world):
    assert [p.title for p in search("sort=title").page.object_list] == [
        "P1",
        "P2",
        "P3",
        "P4",
        "P5",
    ]
    assert search("").sort == "newest"
    assert search("q=P1").sort == "relevance"
    assert search("sort=relevance").sort == "newest"  # no words: nothing to rank by
    # The form's default order is sent empty, so words added later still rank by relevance.
    assert search("q=P1&sort=").sort == "relevance"
    assert search("q=P1&sort=title").sort == "title"


def test_pagination_keeps_the_search(make_practice, empty_practices):
    for number in range(25):
        make_practice(f"Paged {number:02d}", tags=["paged"])
    first = search("tag=paged&sort=title")
    assert first.total == 25 and len(first.page.object_list) == 20
    assert first.next_url == "?tag=paged&sort=title&page=2"
    second = search("tag=paged&sort=title&page=2")
    assert [p.title for p in second.page.object_list] == [f"Paged {n}" for n in range(20, 25)]


def test_nothing_found_offers_to_drop_the_last_filter(client):
    response = client.get("/practices/?q=SODERCAN&country=PL")
    results = response.context["results"]
    assert results.total == 0
    assert results.drop_last_url == "?q=SODERCAN"
    assert "No practice matches this search." in response.content.decode()
    assert slugs(search("q=SODERCAN")) == ["export-consortia-cantabria"]


def test_a_misspelt_search_gets_a_suggestion_that_finds_what_it_names(client):
    response = client.get("/practices/?q=Profitnett")
    results = response.context["results"]
    assert results.total == 0
    assert results.suggestion.startswith("Profitnet - ")
    assert "Did you mean" in response.content.decode()
    # The title's " - " is not read as excluding the next word.
    assert slugs(search(results.suggestion_url[1:])) == ["profitnet"]


def test_no_spelling_suggestion_when_the_words_match_outside_the_filters(client):
    assert search("q=trade fair").total == 1
    response = client.get("/practices/?q=trade+fair&country=IT")
    results = response.context["results"]
    assert results.total == 0
    assert results.suggestion == ""
    assert "Did you mean" not in response.content.decode()
    assert results.drop_last_url == "?q=trade+fair"


def test_no_spelling_suggestion_that_finds_nothing_under_the_filters(client):
    assert search("q=Profitnet&country=ES").total == 0
    response = client.get("/practices/?q=Profitnett&country=ES")
    assert response.context["results"].suggestion == ""
    assert "Did you mean" not in response.content.decode()


def test_words_that_match_nothing_together_offer_the_practices_with_any_of_them(client):
    response = client.get("/practices/", {"q": "bondholder internships"})
    results = response.context["results"]
    assert results.total == 0
    assert results.any_words_url == "?q=bondholder+or+internships"
    assert results.any_words_total == 2
    assert "See the 2 practices that match some of these words" in response.content.decode()
    assert set(slugs(search("q=bondholder or internships"))) == {
        "wakefield-first-bondholder-scheme",
        "international-connecting-talent-internships",
    }
    # The offer counts under the other filters, and is left out when it would find nothing.
    wakefield = Practice.objects.get(slug="wakefield-first-bondholder-scheme")
    country = wakefield.region.country
    narrowed = search(f"q=bondholder internships&country={country}")
    assert narrowed.any_words_total == 1
    assert narrowed.any_words_url == f"?q=bondholder+or+internships&country={country}"
    assert search("q=bondholder internships&country=PL").any_words_url == ""


@pytest.mark.parametrize("query", ["of the", "the or and", '"of the"'])
def test_a_query_of_common_words_alone_finds_nothing_and_offers_nothing(client, query):
    response = client.get("/practices/", {"q": query})
    results = response.context["results"]
    assert results.total == 0
    assert (results.suggestion, results.any_words_total) == ("", 0)


def test_common_words_are_not_required(make_practice):
    practice = make_practice("Kumquat export desk", summary="Help for kumquat exporters.")
    assert slugs(search("q=the kumquat desk of")) == [practice.slug]


@pytest.mark.parametrize(
    ("query", "widened"),
    [
        ("finding partners abroad", "finding or partners or abroad"),
        ("export", ""),
        ('"trade fair" abroad', ""),
        ("export -consortia", ""),
        ("export or import", ""),
    ],
)
def test_only_plain_words_are_widened_to_any_of_them(query, widened):
    assert any_of_words(query) == widened


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("Profitnet - building SME owner capacity", "Profitnet building SME owner capacity"),
        ('The "Export Club" or -consortia', "The Export Club consortia"),
        ("Gävleborg's peer-to-peer export", "Gävleborg's peer-to-peer export"),
    ],
)
def test_a_name_becomes_words_without_search_syntax(name, words):
    assert all_of_words(name) == words


def test_matrix_cells_equal_the_search_behind_them():
    matrix = barrier_topic_matrix()
    checked = 0
    for row in matrix["rows"]:
        for cell in row["cells"]:
            behind = search(f"barrier={row['barrier'].slug}&topic={cell['topic'].slug}")
            assert cell["count"] == behind.total, (row["barrier"], cell["topic"])
            checked += cell["count"] > 0
    assert checked >= 5


def test_barrier_page_narrows_with_the_same_facets(client):
    response = client.get("/barriers/limited-size-and-capacity/", {"country": "ES"})
    results = response.context["results"]
    expected = set(
        Practice.objects.published()
        .filter(barriers__slug="limited-size-and-capacity", region__country="ES")
        .values_list("slug", flat=True)
    )
    assert set(slugs(results)) == expected and expected


def test_related_practices_share_barriers_and_topics_most_first(
    client, make_practice, empty_practices
):
    base = make_practice(
        "Base",
        barriers=["shortage-of-working-capital", "cultural-differences"],
        topics=["financial-support"],
    )
    two = make_practice(
        "Shares three",
        barriers=["shortage-of-working-capital", "cultural-differences"],
        topics=["financial-support"],
    )
    one = make_practice("Shares one", barriers=["cultural-differences"])
    make_practice("Shares none", barriers=["untrained-personnel"])
    make_practice("Draft shares all", barriers=["shortage-of-working-capital"], status="draft")
    related = client.get(base.get_absolute_url()).context["related"]
    assert [p.title for p in related] == [two.title, one.title]
    assert [p.shared for p in related] == [3, 1]


def test_htmx_request_gets_the_results_region_only(client):
    response = client.get("/practices/?country=ES", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="search-form"' in html
    assert 'hx-swap-oob="true"' in html


@pytest.mark.parametrize(
    "query_string",
    [
        "",
        "q=export",
        "q=export&barrier=limited-size-and-capacity&country=ES&tag=export-consortia&sort=title",
        "q=bondholder+internships",  # nothing found: suggestions
    ],
)
def test_search_page_runs_a_fixed_number_of_queries(
    client, make_practice, query_string, django_assert_num_queries
):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/practices/?{query_string}").status_code == 200
        return len(captured)

    before = queries()
    region = Practice.objects.get(slug="export-consortia-cantabria").region
    for number in range(30):
        make_practice(
            f"Export helper {number}",
            summary="Helps SMEs export.",
            barriers=["shortage-of-working-capital", "limited-size-and-capacity"],
            topics=["financial-support"],
            tags=["export consortia", f"t{number}"],
            region=region,
        )
    with django_assert_num_queries(before):
        client.get(f"/practices/?{query_string}")
    assert before <= 14


# -- Every write shows in the next search ---------------------------------------------------


def test_a_search_sees_every_kind_of_write_at_once(
    small_world, make_practice, expert, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from practices import services

    assert search("q=zebrafish").total == 0  # the words' matches are now kept for reuse
    draft = Practice.objects.get(title="Draft")
    draft.summary = "Zebrafish exporters club."
    draft.save()
    assert search("q=zebrafish").total == 0  # still a draft
    draft.status, draft.published_at = "published", timezone.now()
    draft.save()
    assert search("q=zebrafish").total == 1
    assert counts(search(), "barrier")["shortage-of-working-capital"] == 3

    draft.barriers.remove(Barrier.objects.get(slug="shortage-of-working-capital"))
    assert counts(search(), "barrier")["shortage-of-working-capital"] == 2

    p1 = Practice.objects.get(title="P1")
    p1.region.country = "PT"
    p1.region.save()
    # P1, P3 and the new one; the one with no place.
    assert counts(search(), "country") == {"PT": 3, "PL": 2, "not-stated": 1}

    with django_capture_on_commit_callbacks(execute=True):
        Barrier.objects.get(slug="cultural-differences").delete()
    assert "cultural-differences" not in counts(search(), "barrier")
    assert search("q=P2").total == 1

    services.practice_unpublish(practice=draft, user=expert)
    assert search("q=zebrafish").total == 0
    Practice.objects.get(title="P5").delete()
    assert search().total == 4


def test_editing_a_practice_replaces_the_words_it_is_found_by(make_practice):
    practice = make_practice("Okapi export desk", summary="Advice for first exporters.")
    assert slugs(search("q=okapi")) == [practice.slug]
    practice.title = "Pangolin export desk"
    practice.save()
    assert slugs(search("q=okapi")) == []
    assert slugs(search("q=pangolin")) == [practice.slug]
    practice.delete()
    assert slugs(search("q=pangolin")) == []


def test_a_deleted_barrier_is_no_longer_found_by_name(
    make_practice, django_capture_on_commit_callbacks
):
    barrier = Barrier.objects.create(name="Quokka tariffs", slug="quokka-tariffs")
    make_practice("Tariff helper", barriers=[barrier])
    assert slugs(search("q=quokka")) != []
    with django_capture_on_commit_callbacks(execute=True):
        barrier.delete()
    assert slugs(search("q=quokka")) == []


@pytest.mark.parametrize("sort", ["title", "newest"])
def test_every_page_follows_the_order_of_the_whole_list(make_practice, empty_practices, sort):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    titles = ["beta", "Alpha", "alpha two", "Émile", "delta", "Charlie", "echo"] * 7
    for number, title in enumerate(titles):
        make_practice(
            f"{title} {number}", published_at=now - timedelta(days=number % 5), tags=["walk"]
        )
    seen = []
    for page in range(1, 4):
        seen += [p.title for p in search(f"tag=walk&sort={sort}&page={page}").page.object_list]
    published = Practice.objects.published()
    if sort == "title":
        expected = sorted(published, key=lambda p: (p.title.casefold().replace("é", "e"), p.pk))
    else:
        expected = sorted(published, key=lambda p: (-p.published_at.timestamp(), p.title.lower()))
    assert seen == [p.title for p in expected]


def test_words_rank_title_and_summary_matches_first_then_the_newest(make_practice, empty_practices):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    make_practice(
        "Old mention",
        summary="Plain.",
        description="About walruses.",
        published_at=now - timedelta(days=9),
    )
    make_practice("New mention", summary="Plain.", description="About walruses.", published_at=now)
    make_practice("Walrus desk", summary="Plain.", published_at=now - timedelta(days=30))
    make_practice("Helper", summary="Helps walrus traders.", published_at=now - timedelta(days=20))
    results = search("q=walrus")
    assert [p.title for p in results.page.object_list] == [
        "Walrus desk",
        "Helper",
        "New mention",
        "Old mention",
    ]
    assert [p.title for p in search("q=walrus&page=1").page.object_list][2:] == [
        "New mention",
        "Old mention",
    ]


@pytest.mark.parametrize("practice_id", [31, 63, 64, 127])
def test_a_practice_on_the_last_bit_of_a_database_word_is_found_and_counted(
    make_practice, practice_id
):
    # The database sends sets of ids as 32-bit (links) and 64-bit (words) numbers: the top bit
    # of a 64-bit one arrives as a negative number.
    barrier = Barrier.objects.create(name="Wombat quotas", slug="wombat-quotas")
    practice = make_practice("Numbat export desk", barriers=[barrier], id=practice_id)
    results = search(f"q=numbat&barrier={barrier.pk}")
    assert slugs(results) == [practice.slug]
    barrier_facet = next(facet for facet in results.facets if facet.name == "barrier")
    assert {value.label: value.count for value in barrier_facet.values}["Wombat quotas"] == 1


def test_facets_show_new_and_renamed_records_at_once(make_practice):
    def barrier_labels():
        facet = next(facet for facet in search().facets if facet.name == "barrier")
        return [value.label for value in facet.values]

    assert "Echidna permits" not in barrier_labels()  # the index is loaded now
    barrier = Barrier.objects.create(name="Echidna permits", slug="echidna-permits", order=99)
    assert "Echidna permits" in barrier_labels()  # no practice yet: shown, with no link
    barrier.name = "Echidna licences"
    barrier.save()
    assert "Echidna licences" in barrier_labels()
    assert "Echidna permits" not in barrier_labels()
    barrier.delete()
    assert "Echidna licences" not in barrier_labels()


def test_a_barrier_page_offers_the_other_barriers_to_narrow_to_both(client, small_world):
    results = client.get("/barriers/shortage-of-working-capital/").context["results"]
    assert results.total == 2  # P1, P2 (the draft is never counted)
    facet = next(facet for facet in results.facets if facet.name == "barrier")
    # The page's own barrier is the page, not an option; the others count what they share.
    assert {value.value: value.count for value in facet.values} == {"cultural-differences": 1}
    narrowed = client.get(
        "/barriers/shortage-of-working-capital/?barrier=cultural-differences"
    ).context["results"]
    assert [practice.title for practice in narrowed.page.object_list] == ["P2"]

"""Shortlist (kept in the session) and the side-by-side comparison."""

from html.parser import HTMLParser

import pytest

from practices.models import Practice

pytestmark = pytest.mark.django_db


def published_slugs(count):
    return list(
        Practice.objects.published().order_by("title").values_list("slug", flat=True)[:count]
    )


def add(client, slug, next_url="/practices/"):
    return client.post("/shortlist/add/", {"slug": slug, "next": next_url})


def test_empty_shortlist_says_so_and_shows_no_count(client):
    response = client.get("/shortlist/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your shortlist is empty." in page
    assert "Shortlist <span" in page  # the header link is on every page


def test_add_redirects_back_with_a_message_and_lists_the_practice(client):
    slug = published_slugs(1)[0]
    practice = Practice.objects.get(slug=slug)
    response = add(client, slug, next_url="/practices/?q=export")
    assert response.status_code == 302
    assert response["Location"] == "/practices/?q=export"
    page = client.get("/shortlist/").content.decode()
    assert practice.title in page
    assert "was added to your shortlist" in page
    assert 'Shortlist <span class="nav-count">(1' in page
    assert client.session["shortlist"] == [slug]


def test_adding_twice_keeps_one_entry(client):
    slug = published_slugs(1)[0]
    add(client, slug)
    add(client, slug)
    assert client.session["shortlist"] == [slug]


def test_remove_and_clear(client):
    first, second = published_slugs(2)
    add(client, first)
    add(client, second)
    client.post("/shortlist/remove/", {"slug": first})
    assert client.session["shortlist"] == [second]
    response = client.post("/shortlist/clear/")
    assert response.status_code == 302
    assert client.session["shortlist"] == []


def test_redirect_never_leaves_the_site(client):
    slug = published_slugs(1)[0]
    response = add(client, slug, next_url="https://evil.example/")
    assert response["Location"] == "/shortlist/"


def test_add_needs_post_and_csrf(client):
    slug = published_slugs(1)[0]
    assert client.get(f"/shortlist/add/?slug={slug}").status_code == 405
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/shortlist/add/", {"slug": slug}).status_code == 403


def test_unknown_or_unpublished_practice_cannot_be_added(client, make_practice):
    draft = make_practice("Secret draft", status="draft")
    assert add(client, draft.slug).status_code == 404
    assert add(client, "no-such-practice").status_code == 404
    assert "shortlist" not in client.session or client.session["shortlist"] == []


def test_practice_unpublished_after_shortlisting_is_never_shown(client, make_practice):
    practice = make_practice("Soon withdrawn practice")
    other = published_slugs(1)[0]
    add(client, practice.slug)
    add(client, other)
    client.get("/")  # shows (and so clears) the "added" messages
    Practice.objects.filter(pk=practice.pk).update(status="draft")
    page = client.get("/shortlist/").content.decode()
    assert "Soon withdrawn practice" not in page
    assert client.session["shortlist"] == [other]
    page = client.get(f"/compare/?p={practice.slug}&p={other}").content.decode()
    assert "Soon withdrawn practice" not in page
    assert "Choose at least 2 practices" in page


def test_cards_and_practice_page_offer_add_then_remove(client):
    slug = published_slugs(1)[0]
    page = client.get(f"/practices/{slug}/").content.decode()
    assert 'formaction="/shortlist/add/"' in page
    add(client, slug)
    page = client.get(f"/practices/{slug}/").content.decode()
    assert 'formaction="/shortlist/remove/"' in page
    assert 'formaction="/shortlist/add/"' in client.get("/practices/").content.decode()


def test_without_next_the_visitor_goes_back_to_the_referring_page(client):
    slug = published_slugs(1)[0]
    response = client.post(
        "/shortlist/add/", {"slug": slug}, HTTP_REFERER="http://testserver/practices/?q=export"
    )
    assert response["Location"] == "http://testserver/practices/?q=export"
    response = client.post(
        "/shortlist/remove/", {"slug": slug}, HTTP_REFERER="https://evil.example/"
    )
    assert response["Location"] == "/shortlist/"


class FormNesting(HTMLParser):
    def __init__(self):
        super().__init__()
        self.depth = self.deepest = 0

    def handle_starttag(self, tag, attrs):
        if tag == "form":
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)

    def handle_endtag(self, tag):
        if tag == "form":
            self.depth -= 1


@pytest.mark.parametrize("url", ["/practices/", "/barriers/limited-size-and-capacity/", "/"])
def test_shortlist_buttons_never_nest_forms(client, url):
    """Forms cannot nest: a nested one would merge into the search form."""
    parser = FormNesting()
    parser.feed(client.get(url).content.decode())
    assert parser.deepest == 1


def test_compare_three_practices_field_by_field(client):
    slugs = published_slugs(3)
    response = client.get("/compare/?" + "&".join(f"p={s}" for s in slugs))
    assert response.status_code == 200
    page = response.content.decode()
    for slug in slugs:
        assert Practice.objects.get(slug=slug).title in page
    assert page.count('<th scope="col"') == 3
    for field in ("Summary", "Main institution", "Location", "Barriers addressed", "Description"):
        assert f'<th scope="row">{field}</th>' in page


@pytest.mark.parametrize(
    ("count", "message"),
    [
        (0, "Choose at least 2 practices"),
        (1, "Choose at least 2 practices"),
        (5, "Compare at most 4"),
    ],
)
def test_compare_explains_a_wrong_number_of_practices(client, count, message):
    slugs = published_slugs(count)
    response = client.get("/compare/?" + "&".join(f"p={s}" for s in slugs))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "<table" not in page


def test_compare_names_unknown_practices_and_compares_the_rest(client, make_practice):
    draft = make_practice("Hidden draft practice", status="draft")
    slugs = published_slugs(2)
    url = f"/compare/?p={slugs[0]}&p={slugs[1]}&p=no-such-practice&p={draft.slug}"
    page = client.get(url).content.decode()
    assert "no-such-practice" in page
    assert "were left out" in page
    assert "Hidden draft practice" not in page
    assert page.count('<th scope="col"') == 2


def test_duplicate_slugs_count_once(client):
    slug = published_slugs(1)[0]
    page = client.get(f"/compare/?p={slug}&p={slug}").content.decode()
    assert "Choose at least 2 practices" in page


def test_query_counts_do_not_grow_with_the_shortlist(client, django_assert_num_queries):
    slugs = published_slugs(8)
    add(client, slugs[0])
    client.get("/shortlist/")  # shows the message
    # session, practices, and the prefetched barriers and topics
    with django_assert_num_queries(4):
        client.get("/shortlist/")
    for slug in slugs[1:]:
        add(client, slug)
    client.get("/shortlist/")
    with django_assert_num_queries(4):
        client.get("/shortlist/")


def test_compare_query_count_does_not_grow_with_practices(client, django_assert_num_queries):
    slugs = published_slugs(4)
    with django_assert_num_queries(3):  # practices, barriers, topics (no session yet)
        client.get("/compare/?" + "&".join(f"p={s}" for s in slugs[:2]))
    with django_assert_num_queries(3):
        client.get("/compare/?" + "&".join(f"p={s}" for s in slugs))

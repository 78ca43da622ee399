"""Shortlist (kept in a signed cookie of its own) and the side-by-side comparison."""

from html.parser import HTMLParser

import pytest
from django.test import Client, RequestFactory

from practices.models import Practice
from web import shortlist

pytestmark = pytest.mark.django_db


def kept(client):
    """The slugs the visitor's shortlist cookie holds now."""
    cookie = client.cookies.get(shortlist.cookie_name())
    if cookie is None or not cookie.value:
        return []
    request = RequestFactory().get("/")
    request.COOKIES[shortlist.cookie_name()] = cookie.value
    return shortlist.slugs(request)


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
    # Back at the button pressed, for a visitor without JavaScript.
    assert response["Location"] == f"/practices/?q=export#shortlist-{slug}"
    page = client.get("/shortlist/").content.decode()
    assert practice.title in page
    assert "was added to your shortlist" in page
    assert 'Shortlist <span class="nav-count" id="shortlist-count">(1' in page
    assert kept(client) == [slug]
    assert "sessionid" not in client.cookies  # no session: the shortlist costs no database row


def test_adding_twice_keeps_one_entry(client):
    slug = published_slugs(1)[0]
    add(client, slug)
    add(client, slug)
    assert kept(client) == [slug]


def test_remove_and_clear(client):
    first, second = published_slugs(2)
    add(client, first)
    add(client, second)
    client.post("/shortlist/remove/", {"slug": first})
    assert kept(client) == [second]
    response = client.post("/shortlist/clear/")
    assert response.status_code == 302
    assert kept(client) == []


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
    assert kept(client) == []


def test_practice_unpublished_after_shortlisting_is_never_shown(client, make_practice):
    practice = make_practice("Soon withdrawn practice")
    other = published_slugs(1)[0]
    add(client, practice.slug)
    add(client, other)
    client.get("/")  # shows (and so clears) the "added" messages
    Practice.objects.filter(pk=practice.pk).update(status="draft")
    page = client.get("/shortlist/").content.decode()
    assert "Soon withdrawn practice" not in page
    assert kept(client) == [other]
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
    assert response["Location"] == f"http://testserver/practices/?q=export#shortlist-{slug}"
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
    # practices, and the prefetched barriers and topics (no session)
    with django_assert_num_queries(3):
        client.get("/shortlist/")
    for slug in slugs[1:]:
        add(client, slug)
    client.get("/shortlist/")
    with django_assert_num_queries(3):
        client.get("/shortlist/")


def test_compare_query_count_does_not_grow_with_practices(client, django_assert_num_queries):
    slugs = published_slugs(4)
    with django_assert_num_queries(3):  # practices, barriers, topics (no session yet)
        client.get("/compare/?" + "&".join(f"p={s}" for s in slugs[:2]))
    with django_assert_num_queries(3):
        client.get("/compare/?" + "&".join(f"p={s}" for s in slugs))


def test_the_shortlist_survives_closing_the_browser(client):
    slug = published_slugs(1)[0]
    response = add(client, slug)
    cookie = response.cookies[shortlist.cookie_name()]
    assert int(cookie["max-age"]) >= 300 * 24 * 60 * 60  # kept, not a browser-session cookie
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_a_tampered_cookie_is_ignored(client):
    client.cookies[shortlist.cookie_name()] = "profitnet.kent-international-business"
    page = client.get("/shortlist/").content.decode()
    assert "Your shortlist is empty." in page


def test_the_shortlist_is_shared_as_a_link_that_opens_the_same_list(client):
    first, second = published_slugs(2)
    add(client, first)
    add(client, second)
    page = client.get("/shortlist/").content.decode()
    share = f"http://testserver/shortlist/?p={first}&amp;p={second}"
    assert f'value="{share}"' in page
    stranger = Client()
    shared = stranger.get(f"/shortlist/?p={first}&p={second}").content.decode()
    titles = [Practice.objects.get(slug=slug).title for slug in (first, second)]
    assert "A shared shortlist" in shared
    assert shared.index(titles[0]) < shared.index(titles[1])
    assert kept(stranger) == []  # opening a shared list changes nobody's own
    response = stranger.post("/shortlist/add/", {"slug": [first, second], "next": "/shortlist/"})
    assert response.status_code == 302
    assert kept(stranger) == [first, second]


def test_a_shared_link_shows_only_published_practices(client, make_practice):
    hidden = make_practice("Hidden draft", status="draft")
    slug = published_slugs(1)[0]
    page = client.get(f"/shortlist/?p={hidden.slug}&p={slug}").content.decode()
    assert "Hidden draft" not in page


def test_htmx_adds_in_place_with_the_new_button_count_and_message(client):
    slug = published_slugs(1)[0]
    practice = Practice.objects.get(slug=slug)
    response = client.post(
        "/shortlist/add/", {"slug": slug}, HTTP_HX_REQUEST="true", HTTP_ORIGIN="http://testserver"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="shortlist-{slug}"' in html and 'hx-post="/shortlist/remove/"' in html
    assert '<span class="nav-count" id="shortlist-count" hx-swap-oob="true">(1' in html
    assert f"“{practice.title}” was added to your shortlist." in html
    assert kept(client) == [slug]
    # The message was said in place: none is left for the next page.
    assert "was added to your shortlist" not in client.get("/practices/").content.decode()
    response = client.post(
        "/shortlist/remove/",
        {"slug": slug},
        HTTP_HX_REQUEST="true",
        HTTP_ORIGIN="http://testserver",
    )
    assert 'hx-post="/shortlist/add/"' in response.content.decode()
    assert kept(client) == []


def test_htmx_posts_from_another_site_are_refused(client):
    slug = published_slugs(1)[0]
    response = client.post(
        "/shortlist/add/",
        {"slug": slug},
        HTTP_HX_REQUEST="true",
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 403
    assert kept(client) == []

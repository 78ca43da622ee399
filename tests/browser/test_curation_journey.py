"""The curation journey in a real browser: a contributor drafts a practice with the evidence of
its links and submits it; the expert's page names what it lacks before publication, and the
expert returns it with a comment; the contributor completes it and resubmits; the expert confirms
a link, validates during the review, then publishes; the practice is then found in search with its
badge and the reason for its link, and its history shows each step, by name, in local time."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from practices.roles import CONTRIBUTOR, EXPERT, sync_roles

from .conftest import screenshot

PASSWORD = "pw-for-browser-tests-1"
TITLE = "Export readiness clinics for craft businesses"


@pytest.fixture
def people(site):
    # Live-server tests empty the database between tests: the roles are created again here.
    sync_roles(Group, Permission)
    users = get_user_model().objects
    contributor = users.create_user(
        "carla", password=PASSWORD, is_staff=True, first_name="Carla", last_name="Conti"
    )
    contributor.groups.add(Group.objects.get(name=CONTRIBUTOR))
    expert = users.create_user(
        "erik", password=PASSWORD, is_staff=True, first_name="Erik", last_name="Eklund"
    )
    expert.groups.add(Group.objects.get(name=EXPERT))
    return contributor, expert


def sign_in(page, username):
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_contain_text(username.capitalize())  # first name


def sign_out(page):
    page.click("#logout-form button")
    expect(page.get_by_role("heading", name="Logged out")).to_be_visible()


def pick(page, field, text):
    """Choose ``text`` in the admin's autocomplete (select2) for ``field``."""
    page.locator(f"#id_{field} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def add_link(page, kind, target, *, basis, source, reason):
    """Add a link to a barrier or topic with its evidence, in the practice's inline."""
    page.locator(f"#{kind}_links-group .add-row a").click()
    prefix = f"{kind}_links-0"
    pick(page, f"{prefix}-{kind}", target)
    page.select_option(f"#id_{prefix}-basis", label=basis)
    pick(page, f"{prefix}-source", source)
    page.fill(f"#id_{prefix}-reason", reason)


def open_practice(page):
    page.goto("/admin/practices/practice/")
    page.get_by_role("link", name=TITLE).click()
    expect(page.locator("#workflow-heading")).to_be_visible()


def test_contributor_and_expert_take_a_practice_from_draft_to_validated(page, people):
    # The contributor drafts a practice and submits it.
    sign_in(page, "carla")
    page.goto("/admin/practices/practice/add/")
    page.fill("#id_title", TITLE)
    page.fill("#id_summary", "Half-day clinics check whether a craft firm is ready to export.")
    page.fill("#id_description", "An adviser visits the firm and writes an export plan with it.")
    pick(page, "region", "Cantabria")
    add_link(
        page,
        "barrier",
        "Lack of managerial time",
        basis="Stated in the source",
        source="Internationalisation of SMEs",
        reason="The clinic takes the export paperwork off the owner's desk for half a day.",
    )
    add_link(
        page,
        "topic",
        "Capacity building in SMEs",
        basis="From the source's context",
        source="Internationalisation of SMEs",
        reason="The brief cites clinics of this kind under capacity building in SMEs.",
    )
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    expect(page.locator(".workflow__status")).to_contain_text("Draft")
    screenshot(page, "curation-1-contributor-draft")
    page.click("input[name=workflow-submit]")
    expect(page.locator(".messagelist")).to_contain_text("submitted for review")
    expect(page.locator("input[name=_save]")).to_have_count(0)
    sign_out(page)

    # The expert finds it on the dashboard; its page names what it lacks before publication;
    # the expert returns it with a comment.
    sign_in(page, "erik")
    expect(page.locator("#site-name")).to_have_text("Good Practice Knowledge Base: curation")
    page.get_by_role("link", name=re.compile("Curators’ dashboard")).click()
    waiting = page.locator("section", has=page.locator("#waiting-heading"))
    expect(waiting).to_contain_text(TITLE)
    screenshot(page, "curation-2-expert-dashboard")
    waiting.get_by_role("link", name=TITLE).click()
    missing = page.locator("#missing-for-publication")
    expect(missing).to_contain_text("a description of at least 40 words")
    expect(missing).to_contain_text("its evidence of success")
    expect(missing).to_contain_text("its source document")
    expect(page.locator("input[name=workflow-publish]")).to_be_visible()
    page.click("input[name=workflow-publish]")
    expect(page.locator(".messagelist")).to_contain_text("Before publishing, this practice needs")
    expect(page.locator(".workflow__status")).to_contain_text("Submitted for review")
    page.fill(
        "#workflow-return",
        "Please describe how a clinic runs, add the evidence of success (how many firms "
        "exported?) and the source document.",
    )
    page.click("input[name=workflow-return]")
    expect(page.locator(".messagelist")).to_contain_text("returned to author")
    sign_out(page)

    # The contributor reads the comment, fixes the practice and submits it again.
    sign_in(page, "carla")
    open_practice(page)
    expect(page.locator(".workflow__status")).to_contain_text("Returned to author")
    expect(page.locator(".workflow__log")).to_contain_text("how many firms exported?")
    screenshot(page, "curation-3-contributor-returned")
    page.fill(
        "#id_description",
        "An adviser of the regional agency visits the craft firm for half a day, looks at its "
        "products, prices and capacity, and writes a short export plan with the owner: which "
        "market to try first, which fair or buyer to meet, and which support to ask for. The "
        "clinic is free for the firm and is followed by a call three months later.",
    )
    page.fill(
        "#id_evidence_of_success", "Twelve of the first twenty firms made a first sale abroad."
    )
    pick(page, "source", "Internationalisation of SMEs")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    page.click("input[name=workflow-submit]")
    expect(page.locator(".workflow__status")).to_contain_text("Submitted for review")
    sign_out(page)

    # The expert checks the evidence, confirms the barrier link, validates the practice while
    # reviewing it, then publishes it.
    sign_in(page, "erik")
    page.get_by_role("link", name=re.compile("Curators’ dashboard")).click()
    links = page.locator("section", has=page.locator("#links-heading"))
    expect(links).to_contain_text(TITLE)
    open_practice(page)
    expect(page.locator("#missing-for-publication")).to_have_count(0)
    page.check("#id_barrier_links-0-confirmed")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    expect(page.locator(".field-confirmed_by").first).to_contain_text("erik")
    screenshot(page, "curation-4a-expert-confirms-link")
    page.fill(
        "#workflow-validate", "A cheap first step that regions with many craft firms can copy."
    )
    page.click("input[name=workflow-validate]")
    expect(page.locator(".workflow__status")).to_contain_text("Submitted for review")
    expect(page.locator(".workflow__status")).to_contain_text("Expert-validated")
    page.click("input[name=workflow-publish]")
    expect(page.locator(".workflow__status")).to_contain_text("Published")
    expect(page.locator(".workflow__status")).to_contain_text("Expert-validated")
    screenshot(page, "curation-4-expert-validated")

    # The history shows each step, one a save, with who did it by name, in local time.
    page.get_by_role("link", name="History").click()
    history = page.locator("#change-history")
    for step in [
        "Created",
        "Submitted for review",
        "Returned to author: Please describe",
        "Validated by an expert",
        "Published",
    ]:
        expect(history).to_contain_text(step)
    expect(history).to_contain_text("Carla Conti")
    expect(history).to_contain_text("Erik Eklund")
    expect(history).to_contain_text("nobody → Erik Eklund")  # validated by
    expect(history).to_contain_text(re.compile(r"\bCES?T\b"))  # Europe/Brussels time
    expect(history).not_to_contain_text("None")
    expect(history).not_to_contain_text("Deleted user")
    # Created, submitted, returned, edited, submitted, edited (the link confirmed), validated,
    # published: one version for each save or step.
    expect(history.locator("tbody tr")).to_have_count(8)
    screenshot(page, "curation-5-history")
    sign_out(page)

    # A visitor finds it in search, with its badge, and reads the expert opinion.
    page.goto("/practices/?q=craft+clinics")
    card = page.locator(".card", has_text=TITLE)
    expect(card).to_contain_text("Expert-validated")
    card.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".validation")).to_contain_text("regions with many craft firms can copy")
    expect(page.locator(".validation")).to_contain_text("Platform expert")
    evidence = page.locator(".links-evidence")
    expect(evidence).to_contain_text("takes the export paperwork off the owner's desk")
    expect(evidence).to_contain_text("Confirmed by a platform expert")
    expect(evidence).to_contain_text("Not yet confirmed by an expert")  # the topic link
    screenshot(page, "curation-6-public-page")

"""English and French interface; content stays in English and says so."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

pytestmark = pytest.mark.django_db

PO_FILE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")


@pytest.fixture(autouse=True)
def _back_to_english():
    """A French request leaves French active in this thread; later tests expect English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def po_entries(path):
    """(msgid, [msgstr, ...], flags) for every entry of a .po file, header excluded."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields, current, flags = {}, None, ""
        for line in block.splitlines():
            if line.startswith("#,"):
                flags += line
            elif line.startswith("#") or not line.strip():
                continue
            elif line.startswith('"'):
                fields[current] += line[1:-1]
            else:
                current, _, value = line.partition(" ")
                fields[current] = value[1:-1]
        if fields.get("msgid"):
            strings = [value for key, value in fields.items() if key.startswith("msgstr")]
            entries.append((fields["msgid"], strings, flags))
    return entries


def test_every_message_has_a_french_translation():
    entries = po_entries(PO_FILE)
    assert len(entries) > 300
    untranslated = [msgid for msgid, strings, _ in entries if not all(strings)]
    assert not untranslated, untranslated
    fuzzy = [msgid for msgid, _, flags in entries if "fuzzy" in flags]
    assert not fuzzy, fuzzy


def test_translations_keep_their_placeholders():
    for msgid, strings, _ in po_entries(PO_FILE):
        wanted = set(re.findall(r"%\(\w+\)s", msgid))
        for string in strings:
            assert set(re.findall(r"%\(\w+\)s", string)) <= wanted | {"%(counter)s"}, msgid


def test_compiled_catalogue_is_newer_than_the_source():
    assert MO_FILE.exists(), "run `manage.py compilemessages` and commit django.mo"
    assert MO_FILE.stat().st_mtime >= PO_FILE.stat().st_mtime - 1


FRENCH_PAGES = [
    ("/", "Aidez vos PME à s’internationaliser"),
    ("/practices/", "Affiner les résultats"),
    ("/practices/?barrier=shortage-of-working-capital", "Filtres actifs"),
    ("/practices/export-consortia-cantabria/", "Cette pratique est rédigée en anglais."),
    ("/barriers/", "Les obstacles que rencontrent les PME"),
    ("/topics/", "Thématiques"),
    ("/projects/", "Projets Interreg"),
    ("/matrix/", "Matrice des preuves"),
    ("/shortlist/", "Votre sélection est vide."),
    ("/compare/", "Choisissez au moins 2 pratiques"),
    ("/accessibility/", "État de conformité"),
    ("/map/", "Carte des preuves"),
    ("/legal-notice/", "Mentions légales"),
]


@pytest.mark.parametrize(("url", "text"), FRENCH_PAGES)
def test_french_pages_show_french_interface_text(client, url, text):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="fr"' in page
    assert text in page
    assert "Aller au contenu principal" in page  # the skip link
    assert "Skip to main content" not in page


def test_language_switch_is_in_every_pages_header_and_returns_to_it(client):
    for url, _ in FRENCH_PAGES:
        page = client.get(url).content.decode()
        header = page[page.index('<header class="site-header">') : page.index("</header>")]
        assert 'action="/i18n/setlang/"' in header, url
        assert '<button type="submit" name="language" value="fr" lang="fr">Français' in header
    response = client.post(
        "/i18n/setlang/", {"language": "fr", "next": "/practices/export-consortia-cantabria/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/practices/export-consortia-cantabria/"
    assert "En bref" in client.get(response["Location"]).content.decode()


def test_content_stays_in_english_and_is_marked_so(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = client.get("/practices/export-consortia-cantabria/").content.decode()
    assert '<h1 lang="en">' in page
    assert '<p class="lead" lang="en">' in page
    assert '<div lang="en"><p>Export Consortia is a scheme' in page
    assert "Institution principale" in page  # while the interface is French
    assert "Cette pratique est rédigée en anglais." in page

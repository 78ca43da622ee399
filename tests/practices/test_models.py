import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from barriers.models import Barrier, PolicyTopic
from practices.models import Practice
from projects.models import Project, Region

pytestmark = pytest.mark.django_db


def test_end_year_before_start_year_is_refused(make_practice):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_practice(start_year=2020, end_year=2019)


def test_end_year_same_as_start_year_is_fine(make_practice):
    practice = make_practice(start_year=2020, end_year=2020)
    assert practice.pk


def test_ongoing_practice_cannot_have_an_end_year(make_practice):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_practice(start_year=2015, end_year=2018, ongoing=True)


def test_model_validation_explains_the_year_rule():
    practice = Practice(title="X", slug="x-years", start_year=2021, end_year=2001)
    with pytest.raises(ValidationError) as error:
        practice.full_clean()
    assert "The end year cannot be before the start year." in str(error.value)


def test_slugs_are_unique(make_practice):
    make_practice("One", slug="same-slug")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_practice("Two", slug="same-slug")


def test_nuts_code_format_is_validated():
    region = Region(nuts_code="es-13", name="Bad", country="ES")
    with pytest.raises(ValidationError):
        region.full_clean()


def test_str_and_urls():
    practice = Practice.objects.get(slug="export-consortia-cantabria")
    assert str(practice) == "Export Consortia"
    assert practice.get_absolute_url() == "/practices/export-consortia-cantabria/"
    barrier = Barrier.objects.get(slug="shortage-of-working-capital")
    assert barrier.get_absolute_url() == "/barriers/shortage-of-working-capital/"
    topic = PolicyTopic.objects.get(slug="financial-support")
    assert topic.get_absolute_url() == "/topics/financial-support/"
    project = Project.objects.get(slug="sie")
    assert str(project) == "SIE"
    assert project.get_absolute_url() == "/projects/sie/"
    assert str(practice.region) == "Cantabria (ES13)"


def test_published_queryset_hides_every_other_status(make_practice):
    for status in ["draft", "submitted", "returned", "archived"]:
        make_practice(f"Hidden {status}", status=status)
    titles = set(Practice.objects.published().values_list("title", flat=True))
    assert not any(title.startswith("Hidden") for title in titles)

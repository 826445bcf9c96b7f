"""What an organiser may upload as workshop material: documents of a sensible size."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import make_conference
from workshops import models
from workshops.models import Material


@pytest.fixture
def workshop(organisation):
    return make_conference(organisation).rounds.first().workshops.first()


def material(workshop, name, size=10):
    return Material(workshop=workshop, title="Dia's", file=SimpleUploadedFile(name, b"x" * size))


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["dias.pdf", "vragen.docx", "overzicht.xlsx", "kaart.png", "notities.txt"])
def test_documents_and_images_are_accepted(workshop, name):
    material(workshop, name).full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["pagina.html", "plaatje.svg", "installeer.exe", "script.js", "zonder-extensie"])
def test_what_could_run_in_a_browser_or_on_a_computer_is_refused(workshop, name):
    with pytest.raises(ValidationError) as refused:
        material(workshop, name).full_clean()
    assert "file" in refused.value.message_dict


@pytest.mark.django_db
def test_a_file_over_the_limit_is_refused_with_a_dutch_explanation(workshop, monkeypatch):
    monkeypatch.setattr(models, "MAX_MATERIAL_BYTES", 100)
    material(workshop, "dias.pdf", size=100).full_clean()
    with pytest.raises(ValidationError) as refused:
        material(workshop, "dias.pdf", size=101).full_clean()
    assert "groter dan 25 MB" in refused.value.message_dict["file"][0]

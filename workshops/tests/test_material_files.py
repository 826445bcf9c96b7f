"""What an organiser may upload as workshop material: documents of a sensible size, whose
content is what their name says."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import make_conference
from workshops import models
from workshops.models import Material


@pytest.fixture
def workshop(organisation):
    return make_conference(organisation).rounds.first().workshops.first()


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
REAL = {
    "dias.pdf": b"%PDF-1.7\n",
    "vragen.docx": b"PK\x03\x04\x14\x00",
    "overzicht.xlsx": b"PK\x03\x04\x14\x00",
    "oud.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00",
    "kaart.png": PNG,
    "foto.JPG": b"\xff\xd8\xff\xe0\x00\x10JFIF",
    "notities.txt": "Vragen voor de regio: één, twee.\n".encode(),
}


def material(workshop, name, size=10, content=None):
    content = content if content is not None else REAL.get(name, b"") + b"x" * size
    return Material(workshop=workshop, title="Dia's", file=SimpleUploadedFile(name, content))


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(REAL))
def test_documents_and_images_are_accepted(workshop, name):
    material(workshop, name).full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("kaart.png", b"<html><script>alert(1)</script></html>"),  # a page named as an image
        ("kaart.png", PNG + b"tEXt<script>fetch('/beheer/')</script>"),  # a PNG/HTML polyglot
        ("dias.pdf", b"PK\x03\x04"),
        ("vragen.docx", b"%PDF-1.4"),
        ("notities.txt", b"<!DOCTYPE html><body onload=alert(1)>"),
        ("notities.txt", b"MZ\x90\x00\x03\x00"),
    ],
)
def test_content_that_is_not_what_its_name_says_is_refused(workshop, name, content):
    with pytest.raises(ValidationError) as refused:
        material(workshop, name, content=content).full_clean()
    assert refused.value.message_dict["file"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["pagina.html", "plaatje.svg", "installeer.exe", "script.js", "zonder-extensie"])
def test_what_could_run_in_a_browser_or_on_a_computer_is_refused(workshop, name):
    with pytest.raises(ValidationError) as refused:
        material(workshop, name).full_clean()
    assert "file" in refused.value.message_dict


@pytest.mark.django_db
def test_a_file_over_the_limit_is_refused_with_a_dutch_explanation(workshop, monkeypatch):
    monkeypatch.setattr(models, "MAX_MATERIAL_BYTES", 100)
    material(workshop, "dias.pdf", size=91).full_clean()
    with pytest.raises(ValidationError) as refused:
        material(workshop, "dias.pdf", size=92).full_clean()
    assert "groter dan 25 MB" in refused.value.message_dict["file"][0]

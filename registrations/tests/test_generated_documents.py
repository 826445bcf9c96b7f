"""Big badge runs in the background: asked for in the admin, made in parts by the PDF tasks
(run here in the test's process, Celery's eager mode; test_generated_documents_browser runs
a real worker),
followed, downloaded, mailed, scoped to the organisation, and deleted in time."""

import json
from datetime import timedelta

import pytest
import redis
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from conftest import make_organiser
from regiodag.celery import app as celery_app
from registrations.models import GeneratedDocument
from registrations.samples import add_registrations
from registrations.services import documents
from registrations.services.retention import erase
from registrations.tasks import hand_over_documents, render_document, render_document_part
from registrations.tests.event_day import organiser_client_fixture  # noqa: F401
from registrations.tests.pdf_helpers import pdf_pages

PEOPLE = 23


@pytest.fixture
def big(settings, media_root, conference):
    """An event over the (lowered) limit for a direct download, made in parts of one sheet."""
    settings.REGIODAG_DIRECT_PDF_LIMIT = 5
    settings.REGIODAG_PDF_PART_SHEETS = 1
    add_registrations(conference, PEOPLE, all_holding=True)
    return conference


@pytest.fixture
def make(django_capture_on_commit_callbacks):
    """Run the PDF task and the part tasks it hands over, here and now; returns the status."""
    celery_app.conf.task_always_eager = True

    def run(document_id):
        with django_capture_on_commit_callbacks(execute=True):
            render_document(document_id)
        return GeneratedDocument.objects.get(pk=document_id).status

    yield run
    celery_app.conf.task_always_eager = False


@pytest.fixture
def pdf_queue():
    broker = redis.Redis.from_url(celery_app.conf.broker_url)
    broker.delete("pdf")
    yield lambda: [json.loads(raw)["headers"] for raw in broker.lrange("pdf", 0, -1)]
    broker.delete("pdf")


def ask_for_badges(client, event, **data):
    return client.post(reverse("admin:events_event_badges", args=[event.pk]), {"layout": "90x55", **data})


@pytest.mark.django_db
def test_a_big_run_returns_at_once_and_the_relay_hands_the_pdf_queue_a_task(
    organiser_client, organiser, big, pdf_queue
):
    response = ask_for_badges(organiser_client, big)

    document = GeneratedDocument.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:registrations_generateddocument_progress", args=[document.pk])
    assert (document.status, document.kind, document.requested_by) == ("queued", "badges", organiser)
    assert pdf_queue() == []  # the request itself never talks to the broker

    assert hand_over_documents() == 1
    assert [(task["task"], task["argsrepr"]) for task in pdf_queue()] == [
        ("registrations.tasks.render_document", f"({document.pk},)")
    ]
    assert hand_over_documents() == 0
    page = organiser_client.get(response.url)
    assert "In de wachtrij" in page.content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page.content.decode()
    assert "no-cache" in page["Cache-Control"]


@pytest.mark.django_db
def test_the_task_renders_in_parts_joins_them_and_mails_the_organiser(organiser_client, organiser, big, make):
    ask_for_badges(organiser_client, big)
    document = GeneratedDocument.objects.get()

    assert make(document.pk) == "ready"

    document.refresh_from_db()
    assert (document.status, document.done, document.total) == ("ready", PEOPLE, PEOPLE)
    pages = pdf_pages(document.file.read())
    assert len(pages) == 3  # 23 badges, 10 to a sheet, made a sheet at a time
    assert all(f"Mark{n}" in "".join(pages) for n in range(PEOPLE))
    (notice,) = mail.outbox
    assert notice.to == [organiser.email]
    assert reverse("admin:registrations_generateddocument_progress", args=[document.pk]) in notice.body

    page = organiser_client.get(reverse("admin:registrations_generateddocument_progress", args=[document.pk]))
    download = reverse("admin:registrations_generateddocument_download", args=[document.pk])
    assert download in page.content.decode() and "refresh" not in page.content.decode()
    response = organiser_client.get(download)
    assert response["Content-Disposition"] == f'attachment; filename="badges-{big.slug}.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.django_db
def test_the_names_are_in_dutch_order_across_the_parts(organiser_client, big, make):
    ask_for_badges(organiser_client, big)
    document = GeneratedDocument.objects.get()
    make(document.pk)

    ids = documents.ordered_participant_ids(document)
    expected = sorted(
        big.registrations.values_list(
            "participants__family_name", "participants__name_prefix", "participants__given_name"
        ),
        key=lambda n: (n[0].casefold(), n[1].casefold(), n[2].casefold()),
    )
    text = "".join(pdf_pages(GeneratedDocument.objects.get().file.read()))
    positions = [text.index(family) for family, _prefix, _given in expected]
    assert positions == sorted(positions) and len(ids) == PEOPLE


@pytest.mark.django_db
def test_tasks_delivered_twice_make_the_document_once(organiser_client, big, make):
    ask_for_badges(organiser_client, big)
    document = GeneratedDocument.objects.get()
    make(document.pk)
    name = GeneratedDocument.objects.get().file.name

    assert render_document(document.pk) is None
    assert render_document_part(document.pk, 0) is None
    assert GeneratedDocument.objects.get().file.name == name
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_small_selection_stays_a_direct_download(organiser_client, big):
    chosen = list(big.registrations.values_list("participants__pk", flat=True)[:3])

    response = ask_for_badges(organiser_client, big, participant=chosen)

    assert response["Content-Type"] == "application/pdf"
    assert not GeneratedDocument.objects.exists()


@pytest.mark.django_db
def test_a_big_attendance_list_is_made_in_parts_numbered_on(organiser_client, big, make):
    url = reverse("admin:events_event_attendance_list", args=[big.pk])
    page = organiser_client.get(url)
    assert "Presentielijst maken (PDF)" in page.content.decode()
    assert not GeneratedDocument.objects.exists()  # asking is a POST, never a GET

    response = organiser_client.post(url)
    document = GeneratedDocument.objects.get(kind="attendance_list")
    assert response.url == reverse("admin:registrations_generateddocument_progress", args=[document.pk])
    assert make(document.pk) == "ready"

    pages = pdf_pages(GeneratedDocument.objects.get().file.read())
    assert len(pages) == 3  # a part of ten rows each: three lists of their own
    assert "Deel 2 van 3: nr. 11–20 van 23" in pages[1]
    assert "\n11 Mark18, Yara van der" in pages[1] and "\n20 Mark6, Saskia" in pages[1]
    assert "Deel 3 van 3: nr. 21–23 van 23" in pages[2]


@pytest.mark.django_db
def test_another_organisation_cannot_follow_or_download_the_document(client, other_organisation, organiser, big, make):
    document = documents.request_document(big, GeneratedDocument.Kind.BADGES, by=organiser)
    make(document.pk)
    client.force_login(make_organiser("andere", other_organisation))

    for view in ("progress", "download", "change"):
        url = reverse(f"admin:registrations_generateddocument_{view}", args=[document.pk])
        assert client.get(url).status_code in {302, 404}, view
    changelist = client.get(reverse("admin:registrations_generateddocument_changelist"))
    assert changelist.status_code == 200 and str(big) not in changelist.content.decode()


@pytest.mark.django_db
def test_a_failed_render_says_so_on_its_page(settings, tmp_path, organiser_client, organiser, big, make):
    document = documents.request_document(big, GeneratedDocument.Kind.BADGES, by=organiser)
    settings.MEDIA_ROOT = tmp_path / "not-a-folder"
    settings.MEDIA_ROOT.write_text("")  # the storage cannot write under a file

    assert make(document.pk) == "failed"

    document.refresh_from_db()
    assert document.status == "failed" and document.error and document.finished_at
    page = organiser_client.get(reverse("admin:registrations_generateddocument_progress", args=[document.pk]))
    assert "Het maken is mislukt." in page.content.decode() and "refresh" not in page.content.decode()
    assert (
        organiser_client.get(reverse("admin:registrations_generateddocument_download", args=[document.pk])).status_code
        == 404
    )


@pytest.mark.django_db
def test_files_are_deleted_after_the_retention_days_and_with_an_erased_person(
    settings, organiser, big, make, django_capture_on_commit_callbacks
):
    settings.REGIODAG_DOCUMENT_DAYS = 7
    old, recent = (documents.request_document(big, GeneratedDocument.Kind.BADGES, by=organiser) for _ in range(2))
    for document in (old, recent):
        make(document.pk)
    GeneratedDocument.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    old_file = GeneratedDocument.objects.get(pk=old.pk).file
    storage, old_name = old_file.storage, old_file.name

    with django_capture_on_commit_callbacks(execute=True):
        assert documents.discard_expired() == 1
    assert not storage.exists(old_name)
    assert list(GeneratedDocument.objects.values_list("pk", flat=True)) == [recent.pk]

    recent_name = GeneratedDocument.objects.get().file.name
    with django_capture_on_commit_callbacks(execute=True):
        erase([big.registrations.first().pk], timezone.now())
    assert not GeneratedDocument.objects.exists()
    assert not storage.exists(recent_name)


@pytest.mark.django_db
def test_the_progress_page_shows_how_far_the_worker_is(organiser_client, organiser, big):
    document = documents.request_document(big, GeneratedDocument.Kind.BADGES, by=organiser)
    documents.start_document(document.pk)  # parts handed over after the commit: not in this test
    GeneratedDocument.objects.filter(pk=document.pk).update(done=10)

    content = organiser_client.get(
        reverse("admin:registrations_generateddocument_progress", args=[document.pk])
    ).content.decode()

    assert f"10 van {PEOPLE} gemaakt" in content
    assert f'<progress id="rd-progress" max="{PEOPLE}" value="10">' in content
    assert '<meta http-equiv="refresh" content="2">' in content
    assert "download" not in content.split('id="content"')[1]


@pytest.mark.django_db
def test_the_print_actions_send_big_runs_to_the_worker_with_a_message(organiser_client, big):
    changelist = reverse("admin:events_event_changelist")
    for action, kind in [("print_badges", "badges"), ("print_attendance_lists", "attendance_list")]:
        response = organiser_client.post(changelist, {"action": action, "_selected_action": [big.pk]}, follow=True)

        assert GeneratedDocument.objects.filter(event=big, kind=kind, status="queued").count() == 1
        assert "op de achtergrond gemaakt" in response.content.decode()
        assert reverse("admin:registrations_generateddocument_changelist") in response.content.decode()

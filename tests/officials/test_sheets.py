"""Start lists and result sheets as PDF: the ISU columns, names as "FAMILY Given", the
race's number in the programme, its session and scheduled time at the venue, the referee
and officials with the line the referee signs, and a QR code that reads as the public page
of the race; an unofficial sheet says so."""

from __future__ import annotations

import io

import pytest
import segno
from PIL import Image, ImageChops
from pypdf import PdfReader

from shorttrack.officials.sheets import qr_code
from shorttrack.services.race_results import make_official
from shorttrack.services.race_status import version
from shorttrack.store import models
from tests.officials.conftest import helmets

pytestmark = pytest.mark.django_db


def pdf(response) -> PdfReader:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def text_of(reader: PdfReader) -> str:
    """The words of every page, one space apart (how lines wrap is the layout's business)."""
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def same_qr(image: Image.Image, url: str) -> bool:
    """Whether the image is the QR code of ``url`` as the sheets draw it, module for module."""
    drawn = io.BytesIO()
    segno.make(url, error="m").save(drawn, kind="png", scale=4, border=2)
    expected = Image.open(drawn).convert("L")
    found = image.convert("L")
    return found.size == expected.size and ImageChops.difference(found, expected).getbbox() is None


def names_in(race: models.Race) -> list[str]:
    return [line.skater.name for line in race.start_list.select_related("skater")]


def test_a_start_list_has_the_starters_and_a_qr_code_to_the_public_page(
    client_of, users, semifinal
):
    reader = pdf(client_of(users["officer"]).get(f"/officials/races/{semifinal.pk}/start-list.pdf"))

    text = text_of(reader)
    assert "Start list · Women's 500m Semifinal 1" in text
    assert "Start Pos. # Name ISU Member Qualified by" in text
    assert "Qual." not in text  # no marks before the race is official
    for name in names_in(semifinal):
        assert name in text  # "ADLER Anna"
    public = f"http://testserver/races/{semifinal.pk}/"
    assert public in text
    images = reader.pages[0].images
    assert len(images) == 1
    assert same_qr(images[0].image, public)


def test_an_unofficial_result_sheet_says_so_on_every_page(client_of, users, finished):
    reader = pdf(client_of(users["referee"]).get(f"/officials/races/{finished.pk}/results.pdf"))

    text = text_of(reader)
    assert "UNOFFICIAL results · Women's 500m Semifinal 1" in text
    assert "Not official: not for publication" in text
    assert "Place Start Pos. Warn. # Name ISU Member Results Qual." in text
    for name in names_in(finished):
        assert name in text
    assert "43.101" in text and "43.404" in text


def test_an_official_result_sheet_has_the_marks_and_the_penalty(client_of, users, finished):
    from shorttrack.services.race_results import Decision, decide

    first = helmets(finished)[0]
    decide(
        users["referee"],
        finished,
        [Decision(first, "PEN", "impeding")],
        based_on=version(finished),
    )
    make_official(users["referee"], finished, based_on=version(finished))

    reader = pdf(client_of(users["organiser"]).get(f"/officials/races/{finished.pk}/results.pdf"))

    text = text_of(reader)
    assert "Results · Women's 500m Semifinal 1" in text
    assert "UNOFFICIAL" not in text
    assert "impeding" in text and "PEN" in text
    assert "QA" in text and "QB" in text
    assert same_qr(reader.pages[0].images[0].image, f"http://testserver/races/{finished.pk}/")


def test_the_qr_code_leads_to_the_public_site_when_its_address_is_set(
    client_of, users, semifinal, settings
):
    settings.SHORTTRACK_PUBLIC_URL = "https://results.example.org/"

    reader = pdf(client_of(users["officer"]).get(f"/officials/races/{semifinal.pk}/start-list.pdf"))

    public = f"https://results.example.org/races/{semifinal.pk}/"
    assert public in text_of(reader)
    assert same_qr(reader.pages[0].images[0].image, public)


def test_the_start_lists_of_a_round_have_a_page_and_a_qr_code_per_race(
    client_of, users, semifinal, w500
):
    reader = pdf(
        client_of(users["organiser"]).get(f"/officials/rounds/{semifinal.round_id}/start-lists.pdf")
    )

    assert len(reader.pages) == 2
    races = semifinal.round.races.order_by("number")
    for page, race in zip(reader.pages, races, strict=True):
        text = " ".join(page.extract_text().split())
        assert f"Semifinal {race.number}" in text
        # No session, no time: not in the programme yet, so no race number is made up.
        assert "Not yet scheduled" in text and "Race 1" not in text
        # The pages of one PDF share their image resources: the race's own QR is among them.
        assert any(same_qr(i.image, f"http://testserver/races/{race.pk}/") for i in page.images)


def test_a_result_sheet_before_any_result_is_not_found(client_of, users, semifinal):
    response = client_of(users["referee"]).get(f"/officials/races/{semifinal.pk}/results.pdf")

    assert response.status_code == 404


def test_a_qr_code_is_a_png_image():
    assert qr_code("https://results.example.org/races/7/").startswith("data:image/png;base64,")


def test_the_public_page_a_sheet_leads_to_shows_no_unofficial_result(client_of, users, finished):
    """The QR code and the console link to the public race page; while the finish is
    unofficial that page shows the start list, not the times."""
    public = client_of().get(f"/races/{finished.pk}/")

    assert public.status_code == 200
    page = public.content.decode()
    assert names_in(finished)[0] in page
    assert "43.101" not in page and "43.404" not in page

    make_official(users["referee"], finished, based_on=version(finished))
    assert "43.101" in client_of().get(f"/races/{finished.pk}/").content.decode()


def test_a_sheet_prints_the_venues_local_time_with_its_zone(client_of, users, finished):
    """As the console does: a race at 09:35 UTC in a CET venue is printed 10:35 CET."""
    from datetime import UTC, datetime

    from shorttrack.services import clock

    competition = finished.round.distance_race.competition
    competition.time_zone = "Europe/Berlin"
    competition.save(update_fields=["time_zone"])
    models.Race.objects.filter(pk=finished.pk).update(
        scheduled_at=datetime(2025, 11, 14, 9, 35, tzinfo=UTC)
    )
    with clock.at(datetime(2025, 11, 14, 9, 41, tzinfo=UTC)):
        make_official(users["referee"], finished, based_on=version(finished))

    with clock.at(datetime(2025, 11, 14, 9, 50, tzinfo=UTC)):
        response = client_of(users["organiser"]).get(f"/officials/races/{finished.pk}/results.pdf")
    text = text_of(pdf(response))

    assert "Friday 14 Nov 2025, 10:35 CET" in text  # scheduled
    assert "Official 14 Nov 2025 10:41 CET (venue time)" in text
    assert "Printed 14 Nov 2025 10:50 CET (venue time)" in text
    assert "09:35" not in text and "09:41" not in text


def test_a_sheet_names_the_race_number_session_time_referee_and_has_the_line_to_sign(
    client_of, users, finished, w500
):
    """The women's 500m semifinals in the Saturday evening session at Montreal (EDT): the
    second semifinal skated first, at 19:02, so the first, at 19:10, is race 2."""
    from datetime import UTC, datetime

    from shorttrack.services import clock

    competition = finished.round.distance_race.competition
    evening = models.Session.objects.create(
        competition=competition,
        day=2,
        name="Semifinals and finals",
        starts_at=datetime(2025, 10, 18, 23, 0, tzinfo=UTC),
    )
    second = finished.round.races.get(number=2)
    for race, at in (
        (second, datetime(2025, 10, 18, 23, 2)),
        (finished, datetime(2025, 10, 18, 23, 10)),
    ):
        models.Race.objects.filter(pk=race.pk).update(
            session=evening, scheduled_at=at.replace(tzinfo=UTC)
        )
    users["referee"].first_name, users["referee"].last_name = "Rita", "Moreau"
    users["referee"].save()
    with clock.at(datetime(2025, 10, 18, 23, 15, tzinfo=UTC)):
        make_official(users["referee"], finished, based_on=version(finished))

    results = text_of(
        pdf(client_of(users["officer"]).get(f"/officials/races/{finished.pk}/results.pdf"))
    )
    start = text_of(
        pdf(client_of(users["officer"]).get(f"/officials/races/{second.pk}/start-list.pdf"))
    )

    assert (
        "Race 2 · Semifinals and finals · Saturday 18 Oct 2025, 19:10 EDT (venue time)" in results
    )
    assert "Race 1 · Semifinals and finals · Saturday 18 Oct 2025, 19:02 EDT (venue time)" in start
    for text in (results, start):
        assert "Referee: Rita Moreau" in text
        assert "Results officer: oscar" in text and "Organiser: olivia" in text
        assert "Referee Signed at" in text  # the lines to sign and date are drawn, not typed


def test_a_penalty_stands_in_the_place_and_the_results(client_of, users, finished):
    from shorttrack.services.race_results import Decision, decide

    first = helmets(finished)[0]
    decide(
        users["referee"],
        finished,
        [Decision(first, "PEN", "impeding")],
        based_on=version(finished),
    )
    penalised = finished.results.order_by("-number").first().lines.get(helmet=first)

    text = text_of(
        pdf(client_of(users["referee"]).get(f"/officials/races/{finished.pk}/results.pdf"))
    )

    name = penalised.skater.name
    assert (
        f"PEN {penalised.start_position} impeding {first} {name} {penalised.member.code} PEN"
        in text
    )


def test_an_official_races_start_list_has_its_marks_after_how_each_skater_got_in(
    client_of, users, finished
):
    """Semifinal 1 of 4 made official in finish order 43.101 .. 43.404: the first two to
    Final A (QA), the others to Final B (QB), each after "seeded", how the skater started."""
    make_official(users["referee"], finished, based_on=version(finished))
    official = finished.results.order_by("-number").first()

    text = text_of(
        pdf(client_of(users["officer"]).get(f"/officials/races/{finished.pk}/start-list.pdf"))
    )

    assert "Start Pos. # Name ISU Member Qualified by Qual." in text
    for line in finished.start_list.select_related("skater", "member"):
        mark = official.lines.get(skater=line.skater).mark
        assert mark in ("QA", "QB")
        assert (
            f"{line.start_position} {line.helmet} {line.skater.name} {line.member.code} "
            f"seeded {mark}" in text
        )


def test_a_sheet_names_officials_by_their_names_and_never_the_simulators_account(
    client_of, users, finished
):
    """The simulator appoints its account as referee the way the server's command line
    does, with no password and no person's name: the sheet leaves it out; a referee with a
    name is printed by it, one without (who signs in) by the account's name."""
    from shorttrack.services.setup import appoint_from_server

    competition = finished.round.distance_race.competition
    simulator, created = appoint_from_server(competition, "simulator", "referee")
    assert created and not simulator.user.has_usable_password()
    users["referee"].first_name, users["referee"].last_name = "Rita", "Moreau"
    users["referee"].save()

    for sheet in ("start-list.pdf", "results.pdf"):
        text = text_of(
            pdf(client_of(users["officer"]).get(f"/officials/races/{finished.pk}/{sheet}"))
        )
        assert "Referee: Rita Moreau Results officer: oscar" in text
        assert "simulator" not in text

"""The slips of survey codes (GET /surveys/{id}/codes.pdf): printed, each slip cut out
along its lines holds one code, in text and in a QR code that a phone reads as the survey
page with the code in the address's fragment only; every code is on one slip, none on
two, and each opens the survey."""

import re
import subprocess

import pytest
import time_machine
from reportlab.lib.pagesizes import A4

from server.reports import survey_slips as slips
from shared.i18n import texts
from tests.conftest import expect
from tests.server.reports.surveys import NORWEGIAN, flat, make_survey, pdf_text

NOW = "2026-03-10 09:00:00+01:00"
CODE = re.compile(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}\b")
PAGE_URL = "http://localhost/s/"
DPI = 150


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def survey(world, api) -> dict:
    return make_survey(api, world.dept_a1.id, opens_on="2026-03-01", closes_on="2026-03-31")


def slips_pdf(api, survey_id, count=12):
    return api.get(
        f"/surveys/{survey_id}/codes.pdf", query_string={"count": count}, headers=NORWEGIAN
    )


def run(*args) -> str:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, check=True).stdout


def cut_out(path, tmp_path, page: int, index: int) -> tuple[str, list[str]]:
    """The slip at ``index`` of ``page``, cut out along its lines: its text, and what the
    QR codes on it hold."""
    column, row = index % slips.COLUMNS, index // slips.COLUMNS
    left = slips.LEFT + column * slips.SLIP_WIDTH
    top = A4[1] - slips.TOP + row * slips.SLIP_HEIGHT  # from the page's top edge
    box = [left, top, slips.SLIP_WIDTH, slips.SLIP_HEIGHT]
    pages = ["-f", page, "-l", page]

    def area(scale: float) -> list:
        x, y, w, h = (round(value * scale) for value in box)
        return ["-x", x, "-y", y, "-W", w, "-H", h]

    text = run("pdftotext", *pages, *area(1), path, "-")
    image = tmp_path / f"slip-{page}-{index}"
    run("pdftoppm", "-png", "-singlefile", "-r", DPI, *pages, *area(DPI / 72), path, image)
    found = subprocess.run(
        ["zbarimg", "-q", "--raw", f"{image}.png"], capture_output=True, text=True
    ).stdout.splitlines()
    return text, found


def test_each_code_is_on_one_slip_with_a_qr_code_to_the_page_and_the_code(
    world, as_user, anonymous, tmp_path
):
    api = as_user(world.leader)
    made = survey(world, api)
    response = slips_pdf(api, made["id"])
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    t = texts("nb")
    stem = t.gettext("survey-codes")
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{stem}-brukerundersokelse-varen-2026-2026-03-01.pdf"'
    )
    text = pdf_text(response.data, tmp_path)
    assert text.count("\f") == 2  # ten slips a page
    printed = CODE.findall(text)
    assert len(printed) == len(set(printed)) == 12
    # Shuffled: not the sorted order the codes are made in (1 in 12! to fail by chance).
    assert printed != sorted(printed)
    # Every slip says how to answer and that the answers are anonymous.
    how = t.gettext("Scan the QR code, or go to {url} and type the code.").format(url=PAGE_URL)
    anonymous_line = t.gettext(
        "The code is not linked to you: nobody can tell which answers are yours."
    )
    words = flat(text)
    assert words.count(flat(how)) == words.count(flat(anonymous_line)) == 12
    assert words.count("Brukerundersøkelse våren 2026") == 12

    path = tmp_path / "slips.pdf"
    path.write_bytes(response.data)
    seen = []
    for number in range(12):
        page, index = divmod(number, slips.COLUMNS * slips.ROWS)
        slip_text, qr_codes = cut_out(path, tmp_path, page + 1, index)
        [code] = CODE.findall(slip_text)
        # One QR code, holding the page and this slip's code after the "#" only.
        assert qr_codes == [f"{PAGE_URL}#{code}"]
        seen.append(code)
    assert sorted(seen) == sorted(printed)
    # Each code is a real one: it opens the survey (and is not spent by opening it).
    for code in printed:
        opened = expect(anonymous.post("/api/v1/public/survey-lookup", json={"code": code}), 200)
        assert opened["title"] == made["title"]


def test_no_qr_code_holds_an_address_without_its_code(world, as_user, tmp_path):
    api = as_user(world.leader)
    response = slips_pdf(api, survey(world, api)["id"], count=3)
    assert response.status_code == 200
    path = tmp_path / "slips.pdf"
    path.write_bytes(response.data)
    run("pdftoppm", "-png", "-r", DPI, path, tmp_path / "page")
    found = subprocess.run(
        ["zbarimg", "-q", "--raw", tmp_path / "page-1.png"], capture_output=True, text=True
    ).stdout.splitlines()
    assert len(found) == 3
    for value in found:
        assert re.fullmatch(re.escape(PAGE_URL) + r"#[A-Z2-9]{4}-[A-Z2-9]{4}", value), value
    # No link to the page in the document: only the QR codes lead there.
    assert b"/URI" not in response.data


def test_a_long_title_is_cut_to_fit_its_slip(world, as_user, tmp_path):
    api = as_user(world.leader)
    long_title = "Brukerundersøkelse for deltakerne i arbeidstreningen " * 3
    made = make_survey(
        api,
        world.dept_a1.id,
        opens_on="2026-03-01",
        closes_on="2026-03-31",
        title=long_title.strip(),
    )
    response = slips_pdf(api, made["id"], count=1)
    path = tmp_path / "slips.pdf"
    path.write_bytes(response.data)
    slip_text, qr_codes = cut_out(path, tmp_path, 1, 0)
    assert "…" in slip_text
    assert "Brukerundersøkelse for deltakerne" in slip_text
    [code] = CODE.findall(slip_text)
    assert qr_codes == [f"{PAGE_URL}#{code}"]


@pytest.mark.parametrize("count", ["0", "201", "501", "1.5", "tolv", ""])
def test_a_count_that_is_not_a_whole_number_up_to_the_most_slips_is_refused(world, as_user, count):
    api = as_user(world.leader)
    response = api.get(f"/surveys/{survey(world, api)['id']}/codes.pdf?count={count}")
    assert response.status_code == 422, response.data[:200]
    assert response.json["code"] == 422
    assert "count" in response.json["errors"]["query"]

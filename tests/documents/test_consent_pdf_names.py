"""Names in any script print as letters in DejaVu Sans; what no font can draw never crashes."""

import re
import subprocess
import unicodedata
from html import unescape as html_unescape

import pytest
from consent_records import HOSPITAL, build_record

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from kiosk.documents import render_consent_pdf

NAMES = {
    "accented": "Zoë Ångström-Müller",
    "greek": "Αλέξανδρος Παπαδόπουλος",
    "cyrillic": "Наталья Иванова",
    "arabic": "فاطمة الزهراء",
    "arabic with Allah": "عبد الله",
    "hebrew": "שרה כהן",
    "emoji": "Rose 🌹 Smith",
    "long": ("Maximilian Alexander Wolfeschlegelsteinhausenbergerdorff " * 10)[:500],
}
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def plain(text: str) -> str:
    """Extracted text compared by letters: Arabic presentation forms folded back, bidi marks gone."""
    return " ".join(BIDI_CONTROLS.sub("", unicodedata.normalize("NFKC", text)).split())


@pytest.fixture(params=sorted(NAMES))
def name(request):
    return NAMES[request.param]


@pytest.fixture
def pdf(name):
    record = build_record(name=name)
    return render_consent_pdf(record, hospital_name=HOSPITAL)


def test_only_dejavu_fonts_are_used(read, pdf):
    fonts = {font.get_object()["/BaseFont"] for page in read.reader(pdf).pages
             for font in page["/Resources"]["/Font"].values()}
    assert fonts and all(re.fullmatch(r"/[A-Z]{6}\+DejaVuSans(-Bold)?", f) for f in fonts), fonts


def test_fonts_are_embedded(read, pdf):
    for page in read.reader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor


@pytest.mark.parametrize("key", ["accented", "greek", "cyrillic", "arabic", "arabic with Allah", "hebrew"])
@pytest.mark.parametrize("reader", ["pypdf", "poppler"])
def test_name_text_comes_back(read, key, reader):
    pdf = render_consent_pdf(build_record(name=NAMES[key]), hospital_name=HOSPITAL)
    text = read.text(pdf) if reader == "pypdf" else read.poppler(pdf)
    assert NAMES[key] in plain(text)


def words_with_boxes(pdf: bytes, page: int = 1) -> list[tuple[str, float, float, float]]:
    """(word, xMin, xMax, yMin) on one page, from poppler's `pdftotext -bbox`."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), "-", "-"], input=pdf,
                          capture_output=True, check=True).stdout.decode()
    return [(plain(html_unescape(w)), float(x0), float(x1), float(y0))
            for x0, y0, x1, w in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"[^>]*>([^<]*)</word>', html)]


@pytest.mark.parametrize("key", ["arabic", "hebrew"])
def test_right_to_left_name_is_right_aligned(key):
    pdf = render_consent_pdf(build_record(name=NAMES[key]), hospital_name=HOSPITAL)
    words = words_with_boxes(pdf)
    row = next(y for w, _, _, y in words if w == "Full")  # the patient's row ("Full name")
    # -bbox gives right-to-left words in drawing order: compare them reversed too
    name_words = [w for w in words if w[0] and (w[0] in NAMES[key] or w[0][::-1] in NAMES[key])
                  and abs(w[3] - row) < 4]
    date = next(w for w in words if w[0] == "1948-03-07")
    assert name_words
    assert min(x0 for _, x0, _, _ in name_words) > date[1] + 100  # not at the start of the value column
    assert max(x1 for _, _, x1, _ in name_words) > A4[0] - 20 * mm - 12  # but at its right edge


def test_emoji_becomes_a_placeholder_and_the_rest_survives(read):
    text = read.text(render_consent_pdf(build_record(name=NAMES["emoji"]), hospital_name=HOSPITAL))
    assert "Rose \ufffd Smith" in text


def test_long_name_keeps_the_footer_on_every_page(read):
    pages = read.pages(render_consent_pdf(build_record(name=NAMES["long"]), hospital_name=HOSPITAL))
    assert all(f"Page {n} of {len(pages)}" in page for n, page in enumerate(pages, start=1))


@pytest.mark.parametrize("hospital", ["Hôpital Saint-Louis", "בית החולים הדסה", "مستشفى الملك فهد"])
def test_hospital_name_in_any_script(read, hospital):
    pdf = render_consent_pdf(build_record(), hospital_name=hospital)
    assert hospital in plain(read.poppler(pdf))
    assert read.reader(pdf).metadata["/Author"] == hospital

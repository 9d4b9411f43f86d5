"""The signature is drawn as vector paths inside its box; the document ID as a vector QR code."""

import pytest
from consent_records import HOSPITAL, RECORDS, build_form
from pypdf.generic import ContentStream

from kiosk.documents import render_blank_form, render_consent_pdf
from kiosk.documents.signature import fit_pad, stroke_segments


def operations(reader, page):
    return ContentStream(page.get_contents(), reader).operations


def marked(reader, tag):
    """(page index, operations) for each marked-content section tagged `tag`."""
    found = []
    for index, page in enumerate(reader.pages):
        inside = None
        for operands, op in operations(reader, page):
            if op == b"BMC" and operands[0] == tag:
                inside = []
            elif op == b"EMC" and inside is not None:
                found.append((index, inside))
                inside = None
            elif inside is not None:
                inside.append((operands, op))
    return found


@pytest.fixture
def signed(read, record):
    return read.reader(render_consent_pdf(record, hospital_name=HOSPITAL))


def test_signature_is_stroked_curves(signed):
    [(_, ops)] = marked(signed, "/Signature")
    names = [op for _, op in ops]
    assert b"m" in names and b"c" in names and b"l" in names and b"S" in names


def test_one_subpath_per_stroke(signed, record):
    [(_, ops)] = marked(signed, "/Signature")
    assert sum(op == b"m" for _, op in ops) == len(record["signature"]["strokes"])


def test_signature_stays_inside_its_box(signed):
    page_index, ops = marked(signed, "/Signature")[0]
    frame = None
    for operands, op in operations(signed, signed.pages[page_index]):
        if op == b"re":
            frame = [float(v) for v in operands]  # the last rectangle before the strokes: their frame
        if op == b"BMC" and operands[0] == "/Signature":
            break
    x, y, w, h = frame
    points = [float(v) for operands, op in ops if op in (b"m", b"l", b"c") for v in operands]
    xs, ys = points[0::2], points[1::2]
    assert x <= min(xs) and max(xs) <= x + w and y <= min(ys) and max(ys) <= y + h


def test_no_images_anywhere(signed):
    for page in signed.pages:
        xobjects = page["/Resources"].get("/XObject", {})
        assert not [n for n, x in xobjects.items() if x.get_object().get("/Subtype") == "/Image"]


@pytest.mark.parametrize("kind", ["questions", "declined", "abandoned"])
def test_unsigned_record_draws_no_signature(read, kind):
    reader = read.reader(render_consent_pdf(RECORDS[kind](), hospital_name=HOSPITAL))
    assert marked(reader, "/Signature") == []


def test_qr_code_on_first_page_only(signed):
    found = marked(signed, "/QRCode")
    assert [page for page, _ in found] == [0]
    assert sum(op == b"re" for _, op in found[0][1]) > 50  # the dark modules, as filled rectangles


def test_blank_form_has_no_qr_code_and_no_signature(read):
    reader = read.reader(render_blank_form(build_form(), hospital_name=HOSPITAL))
    assert marked(reader, "/QRCode") == [] and marked(reader, "/Signature") == []


@pytest.mark.parametrize("points, ops", [
    ([], []),
    ([(1, 1)], ["m", "l"]),
    ([(1, 1), (5, 5)], ["m", "l"]),
    ([(0, 0), (2, 4), (4, 0)], ["m", "l", "c", "l"]),
    ([(0, 0), (1, 2), (2, 0), (3, 2), (4, 0)], ["m", "l", "c", "c", "c", "l"]),
])
def test_stroke_segments_shape(points, ops):
    assert [op for op, _ in stroke_segments(points)] == ops


def test_stroke_starts_and_ends_at_its_end_points():
    segments = stroke_segments([(0, 0), (1, 2), (2, 0), (3, 2)])
    assert segments[0][1][-1] == (0, 0) and segments[-1][1][-1] == (3, 2)


def test_curve_passes_through_midpoints():
    segments = stroke_segments([(0, 0), (2, 4), (4, 0)])
    assert segments[1][1][-1] == (1, 2) and segments[2][1][-1] == (3, 2)


@pytest.mark.parametrize("pad, box", [((1000, 300), (340, 108)), ((300, 300), (340, 108)), ((1000, 100), (100, 100))])
def test_fit_keeps_aspect_ratio_and_flips_y(pad, box):
    fit = fit_pad(*pad, *box)
    (left, top), (right, bottom) = fit((0, 0)), fit(pad)
    assert (right - left) / (top - bottom) == pytest.approx(pad[0] / pad[1])
    assert top > bottom  # pad y grows downwards, PDF y upwards
    assert 0 <= left and right <= box[0] and 0 <= bottom and top <= box[1]

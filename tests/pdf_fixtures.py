"""Small synthetic PDFs for reader tests, drawn with reportlab (CJK through its built-in CID font).

A page is a list of items: ("text", x, y_from_top, text, size) or ("table", x, y_from_top, widths,
row_height, rows, spans) where rows are lists of strings and spans maps (row, col) -> (rowspan,
colspan); every cell is drawn as a ruled box, a spanned cell as one box."""

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
PAGE = landscape(A4)


def _table(c, x, top, widths, row_height, rows, spans):
    height = PAGE[1]
    covered = set()
    for (r, k), (rs, cs) in spans.items():
        covered |= {(r + i, k + j) for i in range(rs) for j in range(cs)} - {(r, k)}
    for r, row in enumerate(rows):
        for k, text in enumerate(row):
            if (r, k) in covered:
                continue
            rs, cs = spans.get((r, k), (1, 1))
            x0 = x + sum(widths[:k])
            w = sum(widths[k:k + cs])
            y0 = height - top - (r + rs) * row_height
            c.rect(x0, y0, w, rs * row_height, stroke=1, fill=0)
            if text:
                c.setFont(FONT, 9)
                c.drawString(x0 + 2, y0 + rs * row_height / 2 - 3, text)


def make_pdf(path, pages, encrypt=None):
    """Write a PDF of the given pages (see the module docstring); encrypt: a user password."""
    c = canvas.Canvas(str(path), pagesize=PAGE, encrypt=encrypt)
    for items in pages:
        for item in items:
            if item[0] == "text":
                _, x, top, text, size = item
                c.setFont(FONT, size)
                c.drawString(x, PAGE[1] - top - size, text)
            elif item[0] == "table":
                _table(c, *item[1:])
            elif item[0] == "box":  # an unfilled rectangle: an 'image' page with no text
                _, x, top, w, h = item
                c.rect(x, PAGE[1] - top - h, w, h, stroke=1, fill=1)
        c.showPage()
    c.save()
    return path

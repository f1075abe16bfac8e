"""HTML reader: a saved government web page (lxml.html) to the model, the article body only.

Scripts, styles, navigation, headers, footers, breadcrumbs, share/print bars and the 索引号/发布机构
metadata box are dropped; the body is the first named content container (etl/data/html_page.json)
or else found structurally: from <body>, descend while one child holds most of the text. Inside it,
<h1>…<h6> and numbered lines are headings, other text runs (split at block elements and <br>) are
paragraphs, and each <table> becomes a grid with its colspan/rowspan. Locations carry the source
line of the element (lxml's sourceline); table cells also table, row and column. A page without an
article body (a home or list page of links) is an InputError naming the file."""

import json
import re
from functools import lru_cache
from importlib import resources

from budgetkg.etl.model import Cell, Location, Table
from budgetkg.etl.read import InputError, decode_bytes
from budgetkg.etl.readers.structured import caption_before, clean_text, finished_document, read_bytes, text_block

DROPPED_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
                "nav", "header", "footer", "aside", "button", "select", "input", "textarea",
                "head", "map", "audio", "video")
BLOCK_TAGS = {"p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "blockquote",
              "pre", "center", "address", "figure", "figcaption", "hr", "tr", "td", "th", "tbody",
              "thead", "tfoot", "caption", "body", "html", "font-block"}
HEADING_TAG = re.compile(r"^h([1-6])$")
DESCEND_SHARE = 0.7  # descend into a child holding at least this share of its parent's text
MIN_ARTICLE_CHARS = 200  # an article body prints at least this many characters outside links ...
MAX_LINK_SHARE = 0.5  # ... and at most this share of its text is link text
TITLE_REPEAT_BLOCKS = 5  # the page title is not added when one of the body's first blocks prints it
MAX_SPAN = 200  # larger colspan/rowspan values are clipped (a damaged or hostile page)
CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.I)
TITLE_SEPARATORS = re.compile(r"\s*(?:[_|]|--|—|\s-\s)\s*")
_NAME_PARTS = re.compile(r"[\s_-]+")


@lru_cache(maxsize=1)
def page_vocabulary():
    """The web-page vocabulary of etl/data/html_page.json (content containers, boilerplate names ...)."""
    data = json.loads(resources.files("budgetkg.etl").joinpath("data/html_page.json").read_text(encoding="utf-8"))
    data["boilerplate_names"] = frozenset(n.lower() for n in data["boilerplate_names"])
    data["boilerplate_texts"] = frozenset(data["boilerplate_texts"])
    return data


def decode_html(data, path):
    """The text of an HTML file: its BOM, else its <meta charset>, else UTF-8 / GB18030 detection."""
    if not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        declared = CHARSET.search(data[:4096])
        if declared:
            name = declared.group(1).decode("ascii").lower()
            name = "gb18030" if name in ("gb2312", "gbk", "gb_2312-80", "x-gbk") else name
            try:
                return data.decode(name)
            except (LookupError, UnicodeDecodeError):
                pass
    return decode_bytes(data, path)[0]


def _tag(element):
    return element.tag.lower() if isinstance(element.tag, str) else ""


def _names(element):
    """The lower-cased id and class names of an element and their parts ('main-nav' -> main, nav)."""
    names = set()
    for value in (element.get("id") or "", element.get("class") or ""):
        for name in value.lower().split():
            names.add(name)
            names.update(_NAME_PARTS.split(name))
    return names


def text_size(element):
    """Characters of an element's text, whitespace not counted."""
    return len(re.sub(r"\s+", "", element.text_content()))


def link_size(element):
    """Characters of the text of the links inside an element."""
    return sum(text_size(a) for a in element.iter("a"))


def _metadata_labels(element, vocabulary):
    """How many of the 索引号/发布机构/发文日期 … labels an element's text holds."""
    text = element.text_content()
    return sum(label in text for label in vocabulary["metadata_labels"])


def _is_metadata_box(element, vocabulary):
    """True for the smallest element listing several of the page's 索引号/发布机构 … labels in little
    text (none of its children lists as many)."""
    least = vocabulary["metadata_min"]
    if len(element.text_content()) > vocabulary["metadata_max_chars"] or _metadata_labels(element, vocabulary) < least:
        return False
    return not any(_metadata_labels(child, vocabulary) >= least for child in element if _tag(child))


def drop_boilerplate(root, vocabulary, by_name=True):
    """Remove scripts, navigation, headers, footers, share bars and metadata boxes, in place."""
    for element in list(root.iter()):
        if element.getparent() is None:
            continue
        tag = _tag(element)
        if not tag:
            if element.tag is not None:  # a comment or processing instruction
                element.drop_tree()
            continue
        if (tag in DROPPED_TAGS or (by_name and _names(element) & vocabulary["boilerplate_names"])
                or (len(element) == 0 and clean_text(element.text) in vocabulary["boilerplate_texts"])):
            element.drop_tree()
    for element in [e for e in root.iter() if _tag(e) and _is_metadata_box(e, vocabulary)]:
        element.drop_tree()


def named_container(root, vocabulary):
    """The first element whose id or class is a content container name of the vocabulary, or None."""
    for name in vocabulary["content_names"]:
        for element in root.iter():
            if _tag(element) and name.lower() in (element.get("id") or "").lower().split() + \
                    (element.get("class") or "").lower().split():
                if text_size(element) - link_size(element) >= MIN_ARTICLE_CHARS:
                    return element
    return None


def densest_container(root):
    """From <body>, the element reached by descending while one child holds most of the text."""
    element = root.find(".//body")
    element = root if element is None else element
    while True:
        children = [c for c in element if _tag(c) and _tag(c) != "table"]
        if not children:
            return element
        best = max(children, key=text_size)
        if text_size(best) < DESCEND_SHARE * text_size(element):
            return element
        element = best


def article_body(root, path):
    """The article body element of a parsed page; InputError naming the file when there is none."""
    vocabulary = page_vocabulary()
    container = named_container(root, vocabulary)
    if container is not None:
        drop_boilerplate(container, vocabulary, by_name=False)
    else:
        drop_boilerplate(root, vocabulary)
        container = densest_container(root)
    text, links = text_size(container), link_size(container)
    has_table = container.find(".//table") is not None
    if (text - links < MIN_ARTICLE_CHARS and not has_table) or (text and links > MAX_LINK_SHARE * text):
        raise InputError(path, f"no article body: the page holds {text - links} characters of text outside "
                         f"links ({links} in links): a site's home or list page, not a disclosure")
    return container


def _span(value):
    """A colspan/rowspan attribute as a count (1 when missing or malformed, 0 meaning 'to the end')."""
    try:
        return max(0, min(int(str(value).strip() or 1), MAX_SPAN))
    except ValueError:
        return 1


def table_rows(table):
    """The <tr> of a table in order (directly or in thead/tbody/tfoot), not those of nested tables."""
    rows = []
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(c for c in child if _tag(c) == "tr")
    return rows


def html_table(table, file, number):
    """A Table of an HTML <table>: cells placed on the grid by their colspan and rowspan."""
    rows = table_rows(table)
    at = Location(file=file, line=table.sourceline, table=number)
    cells, occupied = [], set()
    for r, tr in enumerate(rows):
        c = 0
        for td in (x for x in tr if _tag(x) in ("td", "th")):
            while (r, c) in occupied:
                c += 1
            rowspan = _span(td.get("rowspan", 1)) or len(rows) - r
            rowspan, colspan = min(rowspan, len(rows) - r), _span(td.get("colspan", 1)) or 1
            cells.append(Cell(text=clean_text(td.text_content()), row=r, col=c, rowspan=rowspan,
                              colspan=colspan, location=at.at(line=td.sourceline, row=r + 1, column=c + 1)))
            occupied.update((r + i, c + j) for i in range(rowspan) for j in range(colspan))
            c += colspan
    caption = table.find("caption")
    return Table(cells=cells, location=at, layout="html",
                 caption=clean_text(caption.text_content()) if caption is not None else "",
                 row_locations=[at.at(line=tr.sourceline, row=r + 1) for r, tr in enumerate(rows)])


def _is_layout_table(table):
    """True for a table used for page layout: it holds another table."""
    return table.find(".//table") is not None


def flatten(element, events):
    """Append the reading-order events of an element's content: ('text', str, line), ('break',),
    ('heading', element, level) and ('table', element)."""
    if element.text:
        events.append(("text", element.text, element.sourceline))
    for child in element:
        tag = _tag(child)
        heading = HEADING_TAG.match(tag)
        if heading:
            events += [("break",), ("heading", child, int(heading.group(1))), ("break",)]
        elif tag == "table" and not _is_layout_table(child):
            events += [("break",), ("table", child), ("break",)]
        elif tag == "br":
            events.append(("break",))
        elif tag in BLOCK_TAGS or tag == "table":
            events.append(("break",))
            flatten(child, events)
            events.append(("break",))
        elif tag:
            flatten(child, events)
        if child.tail:
            events.append(("text", child.tail, child.sourceline))
    return events


def html_blocks(container, file):
    """The blocks of an article body in reading order."""
    blocks, pieces, tables = [], [], 0

    def flush():
        if pieces:
            text = clean_text("".join(p for p, _ in pieces))
            if text:
                blocks.append(text_block(text, Location(file=file, line=pieces[0][1])))
            pieces.clear()

    for event in flatten(container, []):
        if event[0] == "text":
            pieces.append((event[1], event[2]))
            continue
        flush()
        if event[0] == "heading":
            text = clean_text(event[1].text_content())
            if text:
                blocks.append(text_block(text, Location(file=file, line=event[1].sourceline), event[2]))
        elif event[0] == "table":
            tables += 1
            table = html_table(event[1], file, tables)
            if any(c.text for c in table.cells):
                if not table.caption or table.unit is None:
                    caption, unit = caption_before(blocks)
                    table.caption, table.unit = table.caption or caption, unit
                blocks.append(table)
    flush()
    return blocks


def page_title(root, container, title_tag):
    """(text, source line) of the page's own title when the body does not print it: an <h1> outside
    the body and outside page headers and navigation, else the first part of the <title> ('X局2025年
    部门预算_区政府网' -> 'X局2025年部门预算'); None when there is none."""
    if container.find(".//h1") is not None:
        return None
    boilerplate = page_vocabulary()["boilerplate_names"]
    for h1 in root.iter("h1"):
        outer = list(h1.iterancestors())
        if container in outer or any(_tag(a) in DROPPED_TAGS or _names(a) & boilerplate for a in outer):
            continue
        return clean_text(h1.text_content()), h1.sourceline
    if title_tag is not None and clean_text(title_tag.text_content()):
        return TITLE_SEPARATORS.split(clean_text(title_tag.text_content()))[0], title_tag.sourceline
    return None


def read_html(path):
    """Read a saved web page (.html/.htm) into a Document of its article body (and the page's title
    first when the body does not print it)."""
    import lxml.html
    from lxml.etree import ParserError

    data = read_bytes(path)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", decode_html(data, path))
    try:
        root = lxml.html.document_fromstring(text)
    except (ParserError, ValueError) as exc:
        raise InputError(path, f"not an HTML page ({exc})") from exc
    title_tag = root.find(".//title")
    if title_tag is not None:
        title_tag.drop_tree()  # kept apart: <head> is dropped with the page's boilerplate
    container = article_body(root, path)
    blocks = html_blocks(container, path.name)
    title = page_title(root, container, title_tag)
    if title and title[0] and not any(title[0] in getattr(b, "text", "") for b in blocks[:TITLE_REPEAT_BLOCKS]):
        blocks.insert(0, text_block(title[0], Location(file=path.name, line=title[1])))
    return finished_document(path, data, "html", [blocks])

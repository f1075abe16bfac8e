"""Text reader: plain text and markdown (tab rows, pipe rows, one cell per line) to the model."""

from budgetkg.etl.model import Document, Heading, Location, Paragraph, table_from_rows
from budgetkg.etl.read import read_document
from budgetkg.etl.segment import segment


def text_document(document):
    """A Document from a read text dict (etl.read.read_text / read_document)."""
    name = document["name"]
    blocks = []
    for block in segment(document["lines"]):
        at = Location(file=name, line=block["line"])
        if block["type"] == "heading":
            blocks.append(Heading(block["text"], block["level"], at, block["section"]))
        elif block["type"] == "paragraph":
            blocks.append(Paragraph(block["text"], at, block["section"]))
        else:
            rows = [row["cells"] for row in block["rows"]]
            locations = [Location(file=name, line=row["line"]) for row in block["rows"]]
            blocks.append(table_from_rows(rows, at, locations, caption=block["title"], unit=block["unit"],
                                          section=block["section"], layout=block["layout"],
                                          end=Location(file=name, line=block["end_line"])))
    return Document(path=document["path"], name=name, sha256=document["sha256"], format="text",
                    blocks=blocks, lines=document["lines"], encoding=document["encoding"])


def read_text_file(path):
    """Read a .txt/.md file into a Document."""
    return text_document(read_document(path))

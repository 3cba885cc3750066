"""The accessibility statement (AgID model) is one text in two places: docs/accessibility.md
and the page /accessibilita/ that the footer links. The page is the source (it is
translated); the Markdown must say the same, heading by heading, paragraph by paragraph."""

import re
from html.parser import HTMLParser
from pathlib import Path

from django.urls import reverse

DOC = Path(__file__).resolve().parents[2] / "docs" / "accessibility.md"
NOTE = (
    "<!-- The text of the page /accessibilita/ (templates/pages/accessibility.html): "
    "tests/portal/test_accessibility_statement.py checks they say the same. -->"
)
MARKS = {"h1": "# ", "h2": "## ", "h3": "### ", "p": "", "li": "- "}


class Statement(HTMLParser):
    """The blocks of the statement's container, as Markdown lines."""

    def __init__(self):
        super().__init__()
        self.depth, self.blocks, self.current = 0, [], None

    def handle_starttag(self, tag, attrs):
        if dict(attrs).get("id") == "accessibility-statement":
            self.depth = 1
        elif self.depth:
            self.depth += tag not in {"br", "img", "input"}
            if tag in MARKS:
                self.current = [MARKS[tag], ""]

    def handle_endtag(self, tag):
        if not self.depth:
            return
        self.depth -= 1
        if tag in MARKS and self.current:
            self.blocks.append(self.current[0] + " ".join(self.current[1].split()))
            self.current = None

    def handle_data(self, data):
        if self.current is not None:
            self.current[1] += data


def as_markdown(html: str) -> str:
    parser = Statement()
    parser.feed(html)
    lines = [NOTE, ""]
    for block in parser.blocks:
        if lines[-1] and not (block.startswith("- ") and lines[-1].startswith("- ")):
            lines.append("")
        lines.append(block)
    return "\n".join(lines) + "\n"


def test_docs_accessibility_says_what_the_page_says(client):
    page = client.get(reverse("accessibility"), HTTP_ACCEPT_LANGUAGE="it")
    assert page.status_code == 200
    expected = as_markdown(page.content.decode())
    assert DOC.read_text(encoding="utf-8") == expected


def test_the_statement_follows_the_agid_model_and_the_footer_links_it(client):
    page = client.get(reverse("accessibility")).content.decode()
    headings = re.findall(r"<h2>(.*?)</h2>", page)
    assert headings == [
        "Stato di conformità",
        "Contenuti non accessibili",
        "Redazione della dichiarazione di accessibilità",
        "Meccanismo di feedback e recapiti",
        "Procedura di attuazione",
        "Informazioni sul sito",
    ]
    assert "axe-core 4.10.3" in page
    home = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("accessibility")}"' in home

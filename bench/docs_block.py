"""Write a benchmark's table between its two markers in a docs file (both benches)."""

import re
from pathlib import Path


def write_block(doc: Path, start: str, end: str, table: str, new_section: str = "") -> None:
    """Replace what stands between ``start`` and ``end`` in ``doc`` with ``table``; where
    the markers are not there yet, append them (after ``new_section``, a heading)."""
    text = doc.read_text() if doc.exists() else "# Performance\n"
    block = f"{start}\n{table}\n{end}"
    if start in text:
        text = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + new_section + block + "\n"
    doc.write_text(text)

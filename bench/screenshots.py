"""Screenshots of the main pages (those of bench/lighthouse.py), at 1366x768 and at a
412x915 phone viewport, as the lead and as the partner operator, and the web fonts each
page really loaded: to compare the look before and after an asset change (docs/frontend.md).

    DATABASE_URL=postgres://.../wt_demo .venv/bin/python bench/screenshots.py \\
        --base http://127.0.0.1:8000 --out tmp/shots-after
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lighthouse import log_in, main_pages  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

VIEWPORTS = {"desktop": (1366, 768), "mobile": (412, 915)}
FONTS_LOADED = """() => [...document.fonts].filter(f => f.status === 'loaded')
    .map(f => `${f.family} ${f.weight} ${f.style}`)"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--project", default="valverde")
    parser.add_argument("--roles", default="lead,partner")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    base = args.base.rstrip("/")
    pages = main_pages(args.project)
    fonts = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for role in args.roles.split(","):
            role_pages = dict(pages[role])
            _, cookie = log_in(base, role_pages.pop("user"))
            cookies = [
                {"name": k, "value": v, "url": base}
                for k, v in (pair.split("=", 1) for pair in cookie.split("; "))
            ]
            for kind, (width, height) in VIEWPORTS.items():
                context = browser.new_context(
                    viewport={"width": width, "height": height}, locale="it-IT"
                )
                context.add_cookies(cookies)
                page = context.new_page()
                errors = []
                page.on("pageerror", errors.append)
                for name, path in role_pages.items():
                    response = page.goto(base + path, wait_until="networkidle")
                    if response.status != 200:
                        continue
                    page.screenshot(path=args.out / f"{role}-{name}-{kind}.png", full_page=True)
                    fonts[f"{role} {name}"] = sorted(page.evaluate(FONTS_LOADED))
                if errors:
                    print(f"{role} {kind}: console errors: {errors}")
                context.close()
        browser.close()
    (args.out / "fonts.json").write_text(json.dumps(fonts, indent=1))
    used = sorted({f for page_fonts in fonts.values() for f in page_fonts})
    print("web fonts loaded on these pages:", ", ".join(used) or "none")


if __name__ == "__main__":
    main()

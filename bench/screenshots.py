"""Screenshots of the public site's main pages for README.md, from the demo database.

    .venv/bin/python bench/screenshots.py [--output docs/screenshots] [--database FILE]

Builds the demo (`shorttrack setup-demo`: the real 2022/23 season and a simulated
2025/26 one, raced lap by lap through the officials' services) in a new SQLite file
unless --database names one already built, serves it with uvicorn and photographs, in
Debian's chromium at 1280 px wide: the season, the women's Crystal Globe standings, a
skater, a nation, a competition of the simulated season (its overview, and its men's
1000m with every round and the final ranking) and that distance's Final A with the lap
chart; and the standings once more at phone width (390 px).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from serving import REPO, running_site, shorttrack, site_env  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TALLEST = 1800  # CSS px: long pages are cut here; the top of a page is what a reader sees


def read_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=60) as response:
        return json.load(response)


def pages(url: str) -> dict[str, str]:
    """Screenshot name -> path of the page, found through the pages' JSON twins."""
    standings = read_json(f"{url}/seasons/2022-23/standings/overall-women.json")
    competition = read_json(f"{url}/seasons/2025-26/competitions/1.json")
    distances = {d["distance"]: d for d in competition["distances"]}
    men_1000 = distances.get("M1000") or competition["distances"][0]
    return {
        "season": "/seasons/2022-23/",
        "standings": "/seasons/2022-23/standings/overall-women/",
        "skater": f"/skaters/{standings['rows'][0]['skater_id']}/",
        "nation": "/seasons/2022-23/nations/NED/",
        "competition": "/seasons/2025-26/competitions/1/",
        "distance": f"/seasons/2025-26/competitions/1/distances/{men_1000['id']}/",
        "race": f"/races/{men_1000['final_race_id']}/",
    }


def photograph(url: str, output: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    output.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        shots = [(name, path, 1280) for name, path in pages(url).items()]
        shots.append(("standings-phone", "/seasons/2022-23/standings/overall-women/", 390))
        for name, path, width in shots:
            context = browser.new_context(
                viewport={"width": width, "height": 900}, device_scale_factor=1
            )
            page = context.new_page()
            page.goto(url + path, wait_until="networkidle")
            bottom = page.evaluate("document.documentElement.scrollHeight")
            height = min(bottom, TALLEST)
            target = output / f"{name}.png"
            page.screenshot(
                path=target,
                full_page=True,
                clip={"x": 0, "y": 0, "width": width, "height": height},
            )
            written.append(target)
            context.close()
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument("--database", type=Path, help="an SQLite file already set up")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="shorttrack-shots-") as folder:
        database = args.database or Path(folder) / "demo.sqlite3"
        env = site_env(f"sqlite:///{database.resolve()}")
        if not args.database:
            print(f"building the demo database in {database} (about a minute)")
            shorttrack(env, "setup-demo")
        with running_site(env) as url:
            for path in photograph(url, args.output):
                print(path.relative_to(REPO) if path.is_relative_to(REPO) else path)


if __name__ == "__main__":
    main()

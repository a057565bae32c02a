"""Screenshots of the public site and the officials' console for README.md, from the demo.

    .venv/bin/python bench/screenshots.py [--output docs/screenshots] [--database FILE]
                                          [--data FOLDER]

Builds the demo (`shorttrack setup-demo`, as `make demo` does: the real 2022/23 season from
--data when that folder is there, and a simulated 2025/26 one raced lap by lap through the
officials' services, its last competition drawn but not raced) in a new SQLite file unless
--database names one already built, serves it with uvicorn and photographs, in Debian's
chromium at 1280 px wide:

- the season, the women's Crystal Globe standings, a skater, a nation (2022/23);
- a competition of the simulated season (its overview), its men's 1000m (every round and
  the final ranking), that distance's Final A with the lap chart;
- the search box as "desmet" is typed, the hits under it;
- the split sheet of the men's 1500m Final A, at 1280 px and at 390 px;
- the head-to-head of the men's 1000m winner and runner-up;
- the classification grid of the simulated women's Crystal Globe (a column per race);
- a results officer (the demo's `demo-results`) typing the laps of the unraced
  competition's first race in the console's grid, by keyboard alone, after its finish;

and the 2022/23 standings once more at phone width (390 px). A picture is the page's
top, or starts at the part it shows, and is at most TALLEST px high.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import urllib.request
from dataclasses import dataclass
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
DATA_2022_23 = REPO.parent / "shared" / "data" / "worldcup-2022-23"  # as the Makefile has it
# The results officer simulation/demo.py appoints, with its password (DEMO_PASSWORD there,
# printed by `make demo`; not imported: that would need Django set up in this process).
RESULTS_OFFICER = ("demo-results", "demo-only")
SEARCHED = "desmet"  # two skaters of 2022/23, Hanne and Stijn


@dataclass(frozen=True)
class Shot:
    name: str
    path: str
    width: int = 1280
    start_at: str | None = None  # CSS selector: the picture starts at this part of the page
    tallest: int = TALLEST
    unfold: str | None = None  # the summary of a fold (<details>) to open first: "Semifinals"


def read_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=60) as response:
        return json.load(response)


def final_a(url: str, competition: dict, distance: str) -> dict:
    """The race document of a distance's Final A (its ``distance`` code, "M1000")."""
    overview = next(d for d in competition["distances"] if d["distance"] == distance)
    return read_json(f"{url}/races/{overview['final_race_id']}.json")


def public_shots(url: str) -> list[Shot]:
    """The public pages to photograph, found through the pages' JSON twins."""
    standings = read_json(f"{url}/seasons/2022-23/standings/overall-women.json")
    competition = read_json(f"{url}/seasons/2025-26/competitions/1.json")
    men_1000 = final_a(url, competition, "M1000")
    men_1500 = final_a(url, competition, "M1500")
    winner, runner_up = (line["skater_id"] for line in men_1000["result"]["lines"][:2])
    sheet = "#split-sheet"
    return [
        Shot("season", "/seasons/2022-23/"),
        Shot("standings", "/seasons/2022-23/standings/overall-women/"),
        Shot("skater", f"/skaters/{standings['rows'][0]['skater_id']}/"),
        Shot("nation", "/seasons/2022-23/nations/NED/"),
        Shot("competition", "/seasons/2025-26/competitions/1/", tallest=1500),
        Shot(
            "distance",
            f"/seasons/2025-26/competitions/1/distances/{men_1000['distance_race']['id']}/",
            tallest=1300,
            unfold="Semifinals",
        ),
        Shot("race", f"/races/{men_1000['id']}/"),
        Shot("split-sheet", f"/races/{men_1500['id']}/", start_at=sheet, tallest=1000),
        Shot("split-sheet-phone", f"/races/{men_1500['id']}/", 390, sheet, tallest=1000),
        Shot("head-to-head", f"/head-to-head/{winner}/{runner_up}/"),
        Shot(
            "standings-grid",
            "/seasons/2025-26/standings/overall-women/grid/",
            start_at="#standings-main",
            tallest=1100,
        ),
        Shot("standings-phone", "/seasons/2022-23/standings/overall-women/", 390),
    ]


def picture(page, target: Path, width: int, top: float = 0, tallest: int = TALLEST) -> Path:
    """The page from ``top`` (CSS px from the page's top), ``width`` wide, at most
    ``tallest`` high, in 256 colours (a third of the bytes; text stays sharp)."""
    from PIL import Image

    bottom = page.evaluate("document.documentElement.scrollHeight")
    height = min(bottom - top, tallest)
    page.screenshot(
        path=target, full_page=True, clip={"x": 0, "y": top, "width": width, "height": height}
    )
    with Image.open(target) as shot:
        colours = shot.convert("RGB").quantize(
            colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
    colours.save(target, optimize=True)
    return target


def photograph_page(browser, url: str, shot: Shot, output: Path) -> Path:
    context = browser.new_context(
        viewport={"width": shot.width, "height": 900}, device_scale_factor=1
    )
    page = context.new_page()
    page.goto(url + shot.path, wait_until="networkidle")
    if shot.unfold:
        page.locator("summary", has_text=shot.unfold).first.click()
    top = 0
    if shot.start_at:
        top = max(0, page.locator(shot.start_at).first.bounding_box()["y"] - 12)
    target = picture(page, output / f"{shot.name}.png", shot.width, top, shot.tallest)
    context.close()
    return target


def search_as_you_type(browser, url: str, output: Path) -> Path:
    """The masthead's search box on the 2022/23 season page, "desmet" typed key by key:
    the hits that appeared under it (the page never left)."""
    context = browser.new_context(viewport={"width": 1280, "height": 700}, device_scale_factor=1)
    page = context.new_page()
    page.goto(url + "/seasons/2022-23/", wait_until="networkidle")
    box = page.get_by_role("searchbox", name="Search skaters, nations and competitions")
    box.press_sequentially(SEARCHED, delay=80)
    page.locator("#search-suggestions").get_by_role("link").first.wait_for()
    page.wait_for_load_state("networkidle")
    target = picture(page, output / "search.png", 1280, 0, 700)
    context.close()
    return target


# What the results officer types: a plausible race of the distance, summing as the
# timing's figures do. The first lap (a half lap and the start for a 500m or a 1500m), a
# winning time, and the finishers behind 0.13 s apart.
FIRST_LAP = {"500": 5_900, "1000": 11_700, "1500": 7_000}
WINNING_TIME = {"500": 42_480, "1000": 88_020, "1500": 140_110, "2000": 163_500}
WOBBLE = (0, 60, -40, 30, -50, 20, 40, -60)  # ms: no two laps of a race alike


def printout(distance: str, laps: int, finishers: int) -> list[list[tuple[str, str, str]]]:
    """Per finisher (in finish order) the figures of the grid lap after lap: position,
    elapsed time, lap time; the laps after the first share what it leaves of the finish,
    the last taking the odd milliseconds."""
    from shorttrack.rules.times import format_split

    figures = []
    for k in range(finishers):
        finish = WINNING_TIME.get(distance, laps * 9_000) + 130 * k
        first = FIRST_LAP.get(distance, 9_000) + 10 * k
        lap = (finish - first) // (laps - 1) // 10 * 10  # to the hundredth, as printed
        middle = [lap + WOBBLE[n % len(WOBBLE)] for n in range(laps - 2)]
        lap_times = [first, *middle, finish - first - sum(middle)]
        elapsed = [sum(lap_times[: n + 1]) for n in range(laps)]
        figures.append(
            [
                (str(k + 1), format_split(elapsed[n]), format_split(lap_times[n]))
                for n in range(laps)
            ]
        )
    return figures


def console_laps(browser, url: str, output: Path) -> Path | None:
    """The results officer runs the first race on the board of the competition left unraced,
    by keyboard: Enter starts it, the helmets in finish order, the times, Enter; one Tab
    and Enter open its laps; the grid typed as the timing printout reads it, the picture
    taken before the last Enter that would save it."""
    from shorttrack.rules.times import format_time

    context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
    page = context.new_page()
    page.goto(url + "/officials/login/")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'id_username'")
    username, password = RESULTS_OFFICER
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Your competitions").wait_for()

    # The competition's board: the first race still to run that has starters.
    page.locator("main table a").first.click()
    page.wait_for_load_state("networkidle")
    waiting = [
        row.locator("a").first.get_attribute("href")
        for row in page.locator("table.races tr.pending").all()
        if row.locator("td.num").inner_text().strip() not in ("", "–")
    ]
    if not waiting:
        print("console-laps.png not made: the demo's competition to run has no race drawn")
        context.close()
        return None
    page.goto(url + waiting[0])
    title = page.get_by_role("heading", level=1).inner_text()
    distance = re.search(r"(\d+)m", title).group(1)
    cells = page.locator("#start-list tbody tr td:nth-child(2)").all_inner_texts()
    helmets = sorted(int(cell) for cell in cells)
    page.wait_for_function("document.activeElement.textContent.trim() === 'Start race'")
    page.keyboard.press("Enter")
    page.get_by_label("Finish order").wait_for()
    page.keyboard.type(" ".join(map(str, helmets)))
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Times and marks").wait_for()
    for index, _ in enumerate(helmets):
        if index:
            page.keyboard.press("Tab")  # the mark of the line before
            page.keyboard.press("Tab")  # the place of this line
            page.keyboard.press("Tab")  # its time
        page.keyboard.type(format_time(WINNING_TIME.get(distance, 240_000) + 130 * index))
    page.keyboard.press("Enter")
    page.locator("#laps-link").wait_for()
    page.keyboard.press("Tab")  # from "Next race" to the laps
    page.keyboard.press("Enter")
    page.locator("#laps-grid").wait_for()

    laps = page.locator("#laps-grid tbody tr").count()
    figures = printout(distance, laps, len(helmets))
    first = True
    for lap in range(laps):
        for skater in figures:
            for figure in skater[lap]:
                if not first:
                    page.keyboard.press("Tab")
                first = False
                page.keyboard.type(figure)
    # The cursor waits in the last figure; the picture shows the grid from its first lap.
    page.evaluate("document.querySelector('#laps-grid .scroll').scrollLeft = 0")
    target = picture(page, output / "console-laps.png", 1280, 0, 1100)
    page.keyboard.press("Enter")  # saved, as the console says (or why not)
    page.locator("ul.messages, #grid-errors").first.wait_for()
    print(page.locator("ul.messages, #grid-errors").first.inner_text())
    context.close()
    return target


def photograph(url: str, output: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    output.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for shot in public_shots(url):
            written.append(photograph_page(browser, url, shot, output))
        written.append(search_as_you_type(browser, url, output))
        # Last: it writes to the database (a race started and its finish saved).
        console = console_laps(browser, url, output)
        written += [console] if console else []
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument("--database", type=Path, help="an SQLite file already set up")
    parser.add_argument(
        "--data", type=Path, default=DATA_2022_23, help="the real 2022/23 results to import"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="shorttrack-shots-") as folder:
        database = args.database or Path(folder) / "demo.sqlite3"
        env = site_env(f"sqlite:///{database.resolve()}")
        if not args.database:
            print(f"building the demo database in {database} (four minutes or so)")
            real = ["--data", str(args.data)] if (args.data / "results.csv").exists() else []
            shorttrack(env, "setup-demo", *real)
        with running_site(env) as url:
            for path in photograph(url, args.output):
                print(path.relative_to(REPO) if path.is_relative_to(REPO) else path)


if __name__ == "__main__":
    main()

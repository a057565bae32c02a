"""The demo ``make demo`` serves: a simulated season raced up to its last competition, which
is set up, entered and drawn but not raced, with three demo officials appointed to it so
that a newcomer can sign in to the console and run it as organiser, results officer and
referee.

The accounts are for the demo only: ``make demo`` serves on 127.0.0.1 and marks itself
as the demo (``SHORTTRACK_DEMO=1``); nothing here runs in a deployment.
"""

from __future__ import annotations

from dataclasses import dataclass

from shorttrack.services.setup import appoint_from_server
from shorttrack.simulation.season import SimulationReport, simulate_season
from shorttrack.store.models import Competition

DEMO_PASSWORD = "demo-only"
DEMO_OFFICIALS = (
    ("demo-organiser", "organiser"),
    ("demo-results", "results_officer"),
    ("demo-referee", "referee"),
)


@dataclass(frozen=True)
class DemoCompetition:
    """The competition left for the newcomer to run, and who may sign in to run it."""

    competition_id: int
    name: str
    season: str
    accounts: tuple[tuple[str, str], ...]  # (user name, role)

    def sign_in_text(self, base_url: str) -> str:
        lines = [
            f"Demo accounts (demo only, password {DEMO_PASSWORD!r}) for {self.name}, "
            f"{self.season}: set up, entered and drawn, not raced yet.",
            f"Sign in at {base_url}/officials/login/ as",
        ]
        lines += [f"  {username:<16} {role.replace('_', ' ')}" for username, role in self.accounts]
        lines.append(f"then open {base_url}/officials/competitions/{self.competition_id}/")
        return "\n".join(lines)


def simulate_demo_season(
    season_key: str, seed: int, *, competitions: int | None = None, progress=None
) -> tuple[SimulationReport, DemoCompetition]:
    """Simulate ``season_key`` (its first ``competitions``), leave the last of them to
    race, and appoint the demo officials to it."""
    report = simulate_season(
        season_key, seed, competitions=competitions, unraced=1, progress=progress
    )
    competition = Competition.objects.select_related("season").get(pk=report.prepared[-1])
    for username, role in DEMO_OFFICIALS:
        appoint_from_server(competition, username, role, password=DEMO_PASSWORD)
    return report, DemoCompetition(
        competition.pk, competition.name, competition.season.name, DEMO_OFFICIALS
    )

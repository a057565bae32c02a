"""The console's pages, by who uses them: the board (every official), the organiser's
set-up and distances, and a race's page (results officer and referee)."""

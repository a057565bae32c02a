"""The officials' console: signed-in pages where organisers, results officers and referees
run a competition. Every write goes through ``shorttrack.services``."""

"""shorttrack: run and publish a short track speed skating World Cup series."""

__version__ = "0.1.0"

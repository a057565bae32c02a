"""The API tests use the site's data fixtures."""

from tests.site.conftest import season_2022_23, small_competition

__all__ = ["season_2022_23", "small_competition"]

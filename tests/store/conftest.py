"""The store's tests use the services' competition: World Tour 1, Montreal, and its officials."""

from tests.services.conftest import montreal, users  # noqa: F401

from tests.services.conftest import data_2022_23  # noqa: F401  the same fixture for both folders

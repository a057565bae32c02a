"""The public results site: pages anyone can read, built from the same queries as the API."""

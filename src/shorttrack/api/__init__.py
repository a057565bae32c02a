"""The public JSON API (django-ninja, OpenAPI at /api/docs): the JSON twin of every public page."""

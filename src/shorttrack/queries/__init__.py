"""Read-side queries: load what the store knows and hand it to the rules core.

Views, the API and the CLI all go through these functions, so an HTML page and its JSON
twin are built by the same code.
"""

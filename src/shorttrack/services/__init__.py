"""Services: the only code that writes to the store.

Each service is one transaction that validates its whole input first and then applies all
of it or nothing, with errors that say what is wrong and where (``imports`` for files).
Views, the API and the CLI parse their input, call a service, and render what it returns.
"""

"""The page an official sees when sign-in is locked after too many wrong passwords.

django-axes decides when (settings: AXES_FAILURE_LIMIT per account and per address) and
logs each lockout; this says so plainly, with how long, and answers 429.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render


def locked_out(request, response=None, credentials=None):
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    return render(
        request,
        "officials/locked_out.html",
        {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )

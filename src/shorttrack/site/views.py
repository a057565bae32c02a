"""Public pages: parse the request, run a query, render."""

from django.http import HttpResponse


def home(request):
    return HttpResponse("shorttrack")

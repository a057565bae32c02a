"""Public URLs."""

from django.urls import path

from shorttrack.site import views

app_name = "site"
urlpatterns = [
    path("", views.home, name="home"),
]

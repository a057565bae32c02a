"""Signing in to the console and out again."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.officials.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_an_official_signs_in_and_finds_their_competitions(users, montreal):
    users["officer"].set_password(PASSWORD)
    users["officer"].save()
    client = Client()

    response = client.post(
        "/officials/login/", {"username": "oscar", "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain == [("/officials/", 302)]
    page = response.content.decode()
    assert "ISU Short Track World Tour 1, Montreal" in page
    assert "results officer" in page


def test_sign_in_returns_to_the_page_asked_for(users, montreal):
    users["referee"].set_password(PASSWORD)
    users["referee"].save()
    board = f"/officials/competitions/{montreal.pk}/"
    client = Client()

    asked = client.get(board)
    response = client.post(
        asked["Location"], {"username": "rita", "password": PASSWORD, "next": board}
    )

    assert response["Location"] == board


def test_a_wrong_password_is_refused(users, montreal):
    response = Client().post("/officials/login/", {"username": "oscar", "password": "guess"})

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_signing_out_takes_a_post(client_of, users):
    client = client_of(users["officer"])

    response = client.post("/officials/logout/")

    assert response["Location"] == "/officials/login/"
    assert client.get("/officials/").status_code == 302

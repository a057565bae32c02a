"""Guessing passwords: after a few wrong ones an account, and an address, are locked out
for a while (the right password included), with a clear page and a line in the log."""

from __future__ import annotations

import logging

import pytest
from django.conf import settings
from django.test import Client

from tests.officials.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(username: str, password: str, address: str = "203.0.113.7"):
    return Client(REMOTE_ADDR=address).post(
        "/officials/login/", {"username": username, "password": password}
    )


@pytest.fixture
def oscar(users):
    users["officer"].set_password(PASSWORD)
    users["officer"].save()
    return users["officer"]


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(oscar, caplog):
    assert settings.AXES_FAILURE_LIMIT == 5
    for attempt in range(4):
        wrong = sign_in("oscar", f"guess-{attempt}")
        assert wrong.status_code == 200
        assert "Please enter a correct username and password" in wrong.content.decode()

    with caplog.at_level(logging.INFO, logger="axes"):
        fifth = sign_in("oscar", "guess-5")
    right = sign_in("oscar", PASSWORD)

    for locked in (fifth, right):
        assert locked.status_code == 429
        page = locked.content.decode()
        assert "Sign-in locked" in page
        assert "5 wrong passwords for this account or from this address" in page
        assert "locked for 15 minutes, whatever the password" in page
    assert "_auth_user_id" not in right.client.session
    # One line for the account and one for the address, both naming both.
    lockouts = {
        r.getMessage() for r in caplog.records if r.getMessage().startswith("AXES: Locking out")
    }
    assert lockouts == {
        'AXES: Locking out {username: "oscar", ip_address: "203.0.113.7", '
        'path_info: "/officials/login/"} after repeated login failures.'
    }


def test_the_account_stays_locked_from_another_address(oscar):
    for attempt in range(5):
        sign_in("oscar", f"guess-{attempt}", address="203.0.113.7")

    assert sign_in("oscar", PASSWORD, address="198.51.100.20").status_code == 429


def test_an_address_guessing_many_accounts_is_locked_for_all_of_them(oscar, users):
    for attempt, name in enumerate(["alice", "bob", "carol", "dave", "erin"]):
        sign_in(name, f"guess-{attempt}", address="203.0.113.99")

    assert sign_in("oscar", PASSWORD, address="203.0.113.99").status_code == 429
    assert sign_in("oscar", PASSWORD, address="198.51.100.20").status_code == 302


def test_a_right_password_before_the_limit_forgives_the_mistakes(oscar):
    for attempt in range(4):
        sign_in("oscar", f"guess-{attempt}")
    assert sign_in("oscar", PASSWORD).status_code == 302

    for attempt in range(4):
        sign_in("oscar", f"again-{attempt}")
    assert sign_in("oscar", PASSWORD).status_code == 302

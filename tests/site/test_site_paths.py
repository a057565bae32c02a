"""The paths of skater and race pages as results tables print them on every line
(site/templatetags/site_paths.py): the same as the URLconf's, also under a script prefix."""

from __future__ import annotations

from django.template import Context, Template
from django.urls import clear_script_prefix, reverse, set_script_prefix

from shorttrack.site.templatetags.site_paths import race_path, skater_path


def test_a_skaters_and_a_races_path_are_the_urlconfs():
    assert skater_path(61) == reverse("site:skater", args=[61]) == "/skaters/61/"
    assert race_path(197) == reverse("site:race", args=[197]) == "/races/197/"


def test_behind_a_script_prefix_the_path_carries_it():
    set_script_prefix("/results/")
    try:
        assert skater_path(7) == reverse("site:skater", args=[7]) == "/results/skaters/7/"
    finally:
        clear_script_prefix()
    assert skater_path(7) == "/skaters/7/"


def test_the_filter_in_a_results_table():
    template = Template('{% load site_paths %}<a href="{{ line.skater_id|skater_path }}">')
    assert template.render(Context({"line": {"skater_id": 3}})) == '<a href="/skaters/3/">'

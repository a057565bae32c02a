"""The officials' console under /officials/: sign-in, the board of each competition, the
organiser's set-up and distances, and each race. Every page but sign-in needs a role at
the competition it belongs to (``officials.access``)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from shorttrack.officials.views import board, distances, laps, races, setup

app_name = "officials"

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="officials/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(next_page="officials:login"), name="logout"),
    path("", board.home, name="home"),
    # a competition
    path("competitions/<int:competition_id>/", board.board, name="board"),
    path("competitions/<int:competition_id>/board/", board.board_part, name="board-part"),
    path("competitions/<int:competition_id>/setup/", setup.setup_page, name="setup"),
    path("competitions/<int:competition_id>/sessions/", setup.add_session, name="add-session"),
    path(
        "competitions/<int:competition_id>/sessions/<int:session_id>/remove/",
        setup.remove_session,
        name="remove-session",
    ),
    path(
        "competitions/<int:competition_id>/broadcasters/",
        setup.add_broadcaster,
        name="add-broadcaster",
    ),
    path(
        "competitions/<int:competition_id>/broadcasters/<int:broadcaster_id>/remove/",
        setup.remove_broadcaster,
        name="remove-broadcaster",
    ),
    path(
        "competitions/<int:competition_id>/officials/",
        setup.appoint_official,
        name="appoint",
    ),
    # a distance
    path("distances/<int:distance_race_id>/", distances.distance_page, name="distance"),
    path("distances/<int:distance_race_id>/entries/", distances.enter, name="enter"),
    path("distances/<int:distance_race_id>/teams/", distances.enter_team, name="enter-team"),
    path(
        "distances/<int:distance_race_id>/entries/<int:entry_id>/withdraw/",
        distances.withdraw_entry,
        name="withdraw",
    ),
    path("distances/<int:distance_race_id>/plan/", distances.plan, name="plan"),
    path("distances/<int:distance_race_id>/draw/", distances.draw, name="draw"),
    path("distances/<int:distance_race_id>/schedule/", distances.schedule, name="schedule"),
    path("rounds/<int:round_id>/start-lists.pdf", races.round_start_list, name="round-start-lists"),
    # a race
    path("races/<int:race_id>/", races.race_page, name="race"),
    path("races/<int:race_id>/start/", races.start, name="start"),
    path("races/<int:race_id>/finish/", races.finish_entry, name="finish"),
    path("races/<int:race_id>/laps/", laps.laps_entry, name="laps"),
    path("races/<int:race_id>/review/", races.review, name="review"),
    path("races/<int:race_id>/decide/", races.decide, name="decide"),
    path("races/<int:race_id>/official/", races.make_official, name="official"),
    path("races/<int:race_id>/rerun/", races.rerun, name="rerun"),
    path("races/<int:race_id>/correct/", races.correct, name="correct"),
    path("races/<int:race_id>/start-list.pdf", races.start_list, name="start-list"),
    path("races/<int:race_id>/results.pdf", races.result_sheet, name="result-sheet"),
]

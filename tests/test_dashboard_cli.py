"""``deterrence-sim dashboard``: the network warning and the quiet server environment."""

from __future__ import annotations

from deterrence_sim.dashboard import cli


def test_listening_beyond_this_machine_warns_that_anyone_can_connect():
    assert cli.exposure_warning("127.0.0.1") is None
    assert cli.exposure_warning("localhost") is None
    text = cli.exposure_warning("0.0.0.0")
    assert text and "anyone on the network" in text and "127.0.0.1" in text


def test_server_environment_hides_the_badge_and_the_cookie_warning():
    env = cli.server_env()
    assert env["SOLARA_THEME_SHOW_BANNER"] == "False"
    assert "samesite" in env["PYTHONWARNINGS"]
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "False"

"""The job worker's log: every line printed once."""

from __future__ import annotations

import logging
import logging.config

from django.conf import settings


def test_a_job_log_line_is_printed_once(capsys):
    # given logging as Anju configures it, and the worker's start-up rule: ``run_huey`` adds its
    # own handler only to a "huey" logger that has none
    logging.config.dictConfig(settings.LOGGING)
    huey = logging.getLogger("huey")
    assert huey.handlers, "run_huey would add a second handler and every line would print twice"
    # when the worker logs a line
    huey.info("Executing anju.market.tasks.nightly_market_refresh")
    # then it appears exactly once
    err = capsys.readouterr().err
    assert err.count("Executing anju.market.tasks.nightly_market_refresh") == 1

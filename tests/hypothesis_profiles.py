"""Hypothesis profiles. "ci", loaded by default, is for machines shared with other work
(CI runners, two cores and several engineers): a starved CPU makes an example slow, not
wrong, so there is no deadline and no too_slow health check; no example database either,
so a run does not depend on what an earlier run found. HYPOTHESIS_PROFILE=dev gives
hypothesis' defaults back, to notice a property that became slow."""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)
settings.register_profile("dev")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

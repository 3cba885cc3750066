"""Property tests pass on a machine busy with other work: the "ci" hypothesis profile
(tests/hypothesis_profiles.py) has no deadline and no too_slow health check, and every
test runs under it unless HYPOTHESIS_PROFILE names another."""

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def test_the_ci_profile_is_loaded_by_default():
    assert settings.default.deadline is None
    assert HealthCheck.too_slow in settings.default.suppress_health_check
    assert settings.default.database is None


def test_a_slow_draw_and_a_slow_example_do_not_fail_a_property():
    """What a loaded machine does to a property test: drawing four examples takes more
    than a second (too_slow) and one example more than 200 ms (the default deadline).
    Sleeping stands in for a starved CPU; the property itself is trivially true."""

    def slow(value):
        time.sleep(0.3)
        return value

    @settings(max_examples=5)
    @given(st.integers(0, 9).map(slow))
    def prop(value):
        time.sleep(0.25)
        assert 0 <= value <= 9

    prop()

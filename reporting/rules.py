"""Object permissions for reports, as `rules` predicates over labs.access."""

import rules

from labs.rules import capability

rules.add_perm("reporting.add_progressreport", capability("reports.generate"))

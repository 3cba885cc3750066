"""Writes to the company register."""

from __future__ import annotations

from django.db import transaction

from labs.companies.models import HostCompany
from labs.concurrency import save_if_unchanged


@transaction.atomic
def host_company_save(*, company: HostCompany, expected_version: int | None = None) -> HostCompany:
    """Create a company, or save an edit only if nobody saved it since the form showed
    it (``ConcurrentEditError`` otherwise)."""
    company.full_clean()
    if company.pk is None:
        company.save()
        return company
    return save_if_unchanged(company, expected_version=expected_version or 0)

"""Attendance registers of sessions (the registro presenze)."""

app_name = "registers"

urlpatterns: list = []

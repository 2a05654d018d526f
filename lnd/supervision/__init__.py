"""Supervision agreements, sessions and cadence."""

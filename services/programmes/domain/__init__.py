"""Programmes' domain: aggregates and their events (eventsourcing and the standard library only)."""

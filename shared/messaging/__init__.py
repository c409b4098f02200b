"""Messaging plumbing shared by both transports: relay, tracked consumer, dead letters, buses."""

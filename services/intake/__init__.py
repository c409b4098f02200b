"""Intake: the person and their custody or measure, from the court's decision to admission."""

"""Release: release dates, release, supervision, and reintegration outcomes."""

"""The read models intake's reports answer from, folded from its events (shared/eventstore/readmodel.py)."""

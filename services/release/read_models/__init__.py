"""Release's read models: registers folded from its events, kept between reports (shared/eventstore/readmodel.py)."""

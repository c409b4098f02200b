"""Event-store settings, the base application, and the one module that reads stores directly."""

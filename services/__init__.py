"""The three services. Each imports `shared` only, never another service."""

"""Public contracts: the published language between the services and agencies.

Commands come in (strict: unknown fields refused); events go out in one
envelope (lenient on read: an older consumer ignores a newer field).
"""

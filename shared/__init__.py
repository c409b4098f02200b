"""What the three services share: public contracts, messaging plumbing, event-store settings.

Nothing here imports a service; the services import this package only.
"""

"""The hospital's central PostgreSQL database: one queue for every kiosk and nurse station.

``schema.migrate`` makes its tables; ``target.CentralTarget`` is the outbox target that hands
a kiosk's consents and review events to it; ``queue`` is what a nurse station pointed at it
reads and does. No Qt here, and no SQLite: the kiosk's own database stays with kiosk.store.
"""

"""Writes of the visits app, one module per aggregate.

Browser views, the API, admin actions, management commands and Celery tasks
all call these functions: ``from visits.services import schedules``. Each one
checks who acts and the state it starts from, runs in one transaction, claims
its transition where two clicks could race, and leaves a trail.
"""

"""The REST API of the visits app, under /api/visits/, one module per aggregate.

Reads go through the selectors and ``visits.access``; writes call the
services. Someone else's record answers 404, a record one may see but not
change 403, a transition from the wrong state (a locked record, signing out of
order) 409 with the reason, invalid input 400 with field messages.
"""

"""Browser pages of the visits app, one module per aggregate.

Views stay thin: a form validates the input, a selector reads, a service
writes. Visibility comes from ``visits.access`` (foreign records are 404,
seeing without the right to change is 403). Domain errors and validation
errors of the services come back as form errors or messages, never a 500.
"""

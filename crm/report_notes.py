"""Notes other apps add to section c) of the monthly report, read when it is shown.

Section c) holds what customers said (``crm.opinions``, prepared into the
draft); apps that measure it add a note read live for the report's manager and
month, from ``AppConfig.ready()``::

    from crm import report_notes

    report_notes.register("satisfaction", notes_of_month)

``source(month, manager_ids)`` returns ``{manager_id: note}``, a note being a
dict of ``kind``, ``title``, ``lines`` (a list of text) and ``url`` (may be "").
The reports app knows nothing of the apps that add notes.
"""

_sources = {}


def register(kind, source):
    """Add a source; registering the same kind again replaces it."""
    _sources[kind] = source


def for_reports(month, manager_ids):
    """``{manager_id: [note, ...]}`` of every registered source, by kind."""
    notes = {}
    for _kind, source in sorted(_sources.items()):
        for manager_id, note in source(month, manager_ids).items():
            notes.setdefault(manager_id, []).append(note)
    return notes


def for_report(report):
    """The notes of one report (its manager and month)."""
    return for_reports(report.month, [report.manager_id]).get(report.manager_id, [])

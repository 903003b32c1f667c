"""``nianbao status UNIT``: one unit's history (a private module of the status command)."""

from __future__ import annotations

import json
import sys

from nianbao.api import Workspace, decision_json, status_name
from nianbao.cli.common import out
from nianbao.display import short_time
from nianbao.messages import SEVERITY_TEXT, message


def show_history(ws: Workspace, unit_text: str, *, as_json: bool = False) -> None:
    """Print every submission of the unit, its findings and every decision."""
    h = ws.history(unit_text)
    if as_json:
        doc = {
            "code": h.unit.code, "name": h.unit.name, "status": h.state.status,
            "status_text": status_name(h.state.status),
            "submissions": [{
                "id": it.submission.id, "file": it.submission.original_name,
                "received": it.submission.received_at, "status": it.submission.status,
                "current": h.state.submission is not None and it.submission.id == h.state.submission.id,
                "superseded_by": it.submission.superseded_by, "message": it.submission.message,
                "findings": [{"rule": f.rule, "severity": f.severity, "cells": list(f.cells), "message": f.message}
                             for f in it.findings],
                "decisions": [decision_json(d) for d in it.decisions],
            } for it in h.items],
        }
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    else:
        say = _say
        say(message("HISTORY-TITLE", unit=h.unit.name, unit_code=h.unit.code or message("HISTORY-NO-CODE"), status=status_name(h.state.status)))
        if not h.items:
            say(message("HISTORY-NONE"))
        current = h.state.submission.id if h.state.submission is not None else None
        for no, it in enumerate(h.items, start=1):
            s = it.submission
            note = (message("HISTORY-CURRENT") if s.id == current
                    else message("HISTORY-SUPERSEDED") if s.superseded_by is not None else "")
            if s.status == "refused":
                say(message("HISTORY-SUBMISSION", no=no, when=short_time(s.received_at), path=s.original_name,
                            status=status_name(s.status), errors=0, warnings=0, note="") + "：" + s.message)
                continue
            say(message("HISTORY-SUBMISSION", no=no, when=short_time(s.received_at), path=s.original_name,
                        status=status_name(s.status), errors=s.error_count, warnings=s.warning_count, note=note))
            for f in it.findings:
                say(message("HISTORY-FINDING", severity=SEVERITY_TEXT.get(f.severity, f.severity),
                            cell=f.cells[0] if f.cells else "", message=f.message))
            for d in it.decisions:
                say(message("HISTORY-DECISION", decision=message(f"DECISION-{d.kind}"), who=d.decided_by,
                            when=short_time(d.decided_at), reason=d.reason))


def _say(text: str) -> None:
    out.print(text, highlight=False, markup=False)

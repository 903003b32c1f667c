"""The web application: routes over the library API (:mod:`nianbao.api`), rendered with Jinja2.

Paths from a request never reach the file system directly: workspaces are chosen from those in the
server's folder by name, downloads are found by ledger id, unit code or a fixed suffix, and uploads
by the token their upload returned.
"""

from __future__ import annotations

import secrets
import tempfile
import urllib.parse
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from nianbao.api import Workspace
from nianbao.display import short_time
from nianbao.errors import NianbaoError
from nianbao.messages import message
from nianbao.web import security
from nianbao.web.jobs import Busy, Job, Jobs

HERE = Path(__file__).resolve().parent
UPLOADS = ("inbox", "网页上传")  # where uploads are kept inside the workspace (ingest finds them there too)

def _upload_suffixes() -> tuple[str, ...]:
    """What ingest takes (returns, zips of returns, and what other kinds it learns to read)."""
    from nianbao.campaign.ingest import INTAKE

    return tuple(s for s, intake in INTAKE.items() if intake.kind not in ("skip", "ignore"))


UPLOAD_SUFFIXES = _upload_suffixes()
ROSTER_LIMIT = 5 * 1024 * 1024
FORM_LIMIT = ROSTER_LIMIT + 64 * 1024

STATUS_VIEW = {  # status → (symbol, css class): readable without colour too (see style.css)
    "passed": ("✔", "ok"),
    "accepted": ("☑", "ok"),
    "warnings": ("！", "warn"),
    "errors": ("✖", "bad"),
    "rejected": ("↩", "bad"),
    "untouched": ("□", "none"),
    "missing": ("○", "none"),
    "refused": ("⊘", "refused"),
}
CHASED = ("missing", "untouched", "errors", "rejected")  # units the office still waits for
REPORT_KINDS = {"docx": ".docx", "xlsx": ".xlsx", "json": ".json"}
MADE_ON_DEMAND = {"html": ".html", "pdf": ".pdf"}  # from the roll-up's data file, when asked for


def upload_limit() -> int:
    """The largest file accepted: what the reader accepts (see ``workbook.safety.Limits``)."""
    from nianbao.workbook.safety import DEFAULT_LIMITS

    return DEFAULT_LIMITS.max_file_bytes


@dataclass
class State:
    root: Path  # the folder whose workspaces the start page offers
    ws: Workspace | None = None
    password: str | None = None
    port: int = 8765
    jobs: Jobs = field(default_factory=Jobs)
    limit: int = field(default_factory=upload_limit)
    lock_wait: float = 5.0  # seconds a page waits for the workspace lock held by another process
    # messages to show on the next page, per session: kept here, not in the (size-limited) cookie
    flashes: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    imports: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # token → (file name, data file)


# ------------------------------------------------------------------------------------------
# Rendering
# ------------------------------------------------------------------------------------------

_env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")), autoescape=True,
                          undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
_env.filters["q"] = lambda s: urllib.parse.quote(str(s), safe="")
_env.filters["when"] = lambda s: short_time(str(s or ""))  # 12月1日 08:29, as the board workbook and CLI


def _status_view(status: str) -> dict[str, str]:
    from nianbao.messages import MESSAGES

    symbol, css = STATUS_VIEW.get(status, ("·", "none"))
    code = f"STATUS-{status.upper()}"
    return {"label": message(code) if code in MESSAGES else status, "symbol": symbol, "css": css,
            "status": status}


_env.globals["status_view"] = _status_view


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    state: State = request.app.state.nianbao
    flashes = state.flashes.pop(_sid(request), [])
    logged_in = bool(request.session.get("auth"))
    locked = state.password is not None and not logged_in  # the login page names nothing
    html = _env.get_template(name).render(
        csrf=security.csrf_token(request), ws=None if locked else state.ws, flashes=flashes, locked=locked,
        auth=state.password is not None and logged_in,
        path=request.url.path, **context)
    return HTMLResponse(html, status_code=status_code, headers=security.SECURITY_HEADERS)


def _sid(request: Request) -> str:
    sid = request.session.get("sid")
    if not sid:
        sid = request.session["sid"] = secrets.token_urlsafe(16)
    return str(sid)


def flash(request: Request, text: str, level: str = "info") -> None:
    flashes = _state(request).flashes
    if len(flashes) > 1000:  # sessions that never came back
        flashes.clear()
    flashes.setdefault(_sid(request), []).append({"level": level, "text": text})


WEB_WORDING = {"REVIEW-REASON": "WEB-REVIEW-REASON", "REVIEW-UNTOUCHED": "WEB-REVIEW-UNTOUCHED",
               "REVIEW-HAS-ERRORS": "WEB-REVIEW-HAS-ERRORS", "REPORT-FINAL-INCOMPLETE": "WEB-FINAL-INCOMPLETE",
               "REPORT-FINAL-UNDATED": "WEB-FINAL-UNDATED"}


def say(exc: NianbaoError) -> str:
    """The error's message, worded for the page where the CLI's names a command-line option."""
    code = WEB_WORDING.get(exc.code)
    return message(code, **exc.fields) if code else str(exc)


def error_page(request: Request, text: str, status_code: int) -> HTMLResponse:
    return render(request, "error.html", status_code=status_code, text=text)


def download(path: Path, name: str | None = None) -> Response:
    return FileResponse(path, filename=name or path.name, headers=dict(security.SECURITY_HEADERS))


def _state(request: Request) -> State:
    state: State = request.app.state.nianbao
    return state


def _ws(request: Request) -> Workspace | None:
    return _state(request).ws


async def _form_with_csrf(request: Request, limit: int = FORM_LIMIT) -> Any:
    """The posted form, or None when its CSRF token is missing or wrong (or it is too large)."""
    declared = request.headers.get("content-length", "")
    if not declared.isdigit() or int(declared) > limit:
        return None
    form = await request.form(max_files=2, max_fields=50)
    given = form.get(security.CSRF_FIELD) or request.headers.get(security.CSRF_HEADER)
    if not security.csrf_valid(request, given if isinstance(given, str) else None):
        return None
    return form


async def _workspace_form(request: Request) -> tuple[Any, Workspace] | Response:
    """A POST acting on the open workspace: (form, workspace), or the refusal to send back
    (a missing or wrong CSRF token, or no workspace open)."""
    form = await _form_with_csrf(request)
    if form is None:
        return security.csrf_refused()
    ws = _ws(request)
    if ws is None:
        return _no_workspace(request)
    return form, ws


def _no_workspace(request: Request) -> Response:
    flash(request, message("WEB-NO-WORKSPACE"), "warn")
    return RedirectResponse("/start", status_code=303)


# ------------------------------------------------------------------------------------------
# Start page: open or create a workspace
# ------------------------------------------------------------------------------------------

def _workspaces(root: Path) -> list[dict[str, Any]]:
    found = []
    candidates = [root, *sorted(p for p in root.iterdir() if p.is_dir())] if root.is_dir() else []
    for folder in candidates:
        if (folder / "nianbao.json").is_file():
            try:
                ws = Workspace.open(folder)
            except NianbaoError:
                continue
            name = "." if folder == root else folder.name
            found.append({"name": name, "office": ws.office, "year": ws.year})
    return found


async def home(request: Request) -> Response:
    if _ws(request) is None:
        return RedirectResponse("/start", status_code=303)
    return RedirectResponse("/board", status_code=303)


async def start(request: Request) -> Response:
    state = _state(request)
    return render(request, "start.html", workspaces=_workspaces(state.root), root=str(state.root),
                  this_year=date.today().year - 1, form={})


async def open_workspace(request: Request) -> Response:
    form = await _form_with_csrf(request)
    if form is None:
        return security.csrf_refused()
    state = _state(request)
    name = str(form.get("name", ""))
    known = {w["name"] for w in _workspaces(state.root)}
    if name not in known:
        return error_page(request, message("WEB-UNKNOWN-WORKSPACE", name=name), 404)
    state.ws = Workspace.open(state.root if name == "." else state.root / name)
    flash(request, message("WEB-OPENED", name=name))
    return RedirectResponse("/board", status_code=303)


async def create_workspace(request: Request) -> Response:
    form = await _form_with_csrf(request)
    if form is None:
        return security.csrf_refused()
    state = _state(request)
    values = {k: str(form.get(k, "")).strip() for k in ("name", "year", "office", "deadline", "contact",
                                                          "mail_from", "smtp", "imap", "mail_user")}

    def again(text: str) -> HTMLResponse:
        return render(request, "start.html", status_code=400, workspaces=_workspaces(state.root),
                      root=str(state.root), this_year=date.today().year - 1, form=values, problem=text)

    from nianbao.campaign.roster import unsafe_reason

    name = values["name"]
    bad = unsafe_reason(name) if name else "为空"
    if not bad and (name != security.safe_name(name) or name in (".", "..")):
        bad = "含有路径或不能使用的字符"
    if bad:
        return again(message("WEB-FOLDER-NAME", name=name, bad=bad))
    target = state.root / name
    if target.exists():
        return again(message("WEB-FOLDER-EXISTS", name=name))
    if not (values["year"].isdigit() and len(values["year"]) == 4):
        return again(message("WEB-YEAR", actual=values["year"]))
    roster = form.get("roster")
    if roster is None or isinstance(roster, str) or not roster.filename:
        return again(message("WEB-ROSTER-MISSING"))
    suffix = Path(security.safe_name(roster.filename)).suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        return again(message("WEB-ROSTER-TYPE", name=roster.filename))
    with tempfile.TemporaryDirectory(prefix="nianbao-roster-") as tmp:
        roster_path = Path(tmp) / f"名单{suffix}"
        roster_path.write_bytes(await roster.read())
        try:
            from nianbao.api import mail_config

            mail = mail_config(mail_from=values["mail_from"], smtp=values["smtp"], imap=values["imap"],
                               user=values["mail_user"])
            ws = Workspace.create(target, year=int(values["year"]), roster=roster_path, office=values["office"],
                                  deadline=values["deadline"], contact=values["contact"], mail=mail)
        except NianbaoError as exc:
            return again(str(exc))
    state.ws = ws
    try:
        state.jobs.start("templates", str(ws.root), len(ws.units()),
                         lambda job: _templates(ws, job, state.lock_wait), wait=True)
    except Busy as exc:
        return again(str(exc))
    flash(request, message("WEB-CREATED", name=name, office=ws.office, year=ws.year, units=len(ws.units())))
    return RedirectResponse("/board", status_code=303)


def _templates(ws: Workspace, job: Job, wait: float = 5.0) -> None:
    with ws.lock(timeout=wait, on_wait=job.add):
        written, _ = ws.templates()
    job.done = len(written)
    job.summary = message("WEB-TEMPLATES-DONE", count=len(written))


async def make_templates(request: Request) -> Response:
    posted = await _workspace_form(request)
    if isinstance(posted, Response):
        return posted
    _form, ws = posted
    try:
        state = _state(request)
        job = state.jobs.start("templates", str(ws.root), len(ws.units()),
                               lambda job: _templates(ws, job, state.lock_wait), wait=True)
        flash(request, job.summary or (job.lines[-1]["text"] if job.lines else ""),
              "info" if job.state == "done" else "error")
    except Busy as exc:
        flash(request, str(exc), "error")
    return RedirectResponse("/board", status_code=303)


# ------------------------------------------------------------------------------------------
# The board
# ------------------------------------------------------------------------------------------

def _overdue(ws: Workspace, status: str) -> bool:
    deadline = ws.inner.config.deadline
    return bool(deadline) and date.today().isoformat() > deadline and status in CHASED


def _board_rows(ws: Workspace) -> tuple[Any, list[dict[str, Any]]]:
    board = ws.status()
    rows = [{"line": line, "unit": line.unit, "view": _status_view(line.status),
             "overdue": _overdue(ws, line.status)} for line in board.lines]
    return board, rows


async def board_page(request: Request) -> Response:
    ws = _ws(request)
    if ws is None:
        return _no_workspace(request)
    board, rows = _board_rows(ws)
    wanted = request.query_params.get("status", "")
    category = request.query_params.get("category", "")
    query = request.query_params.get("q", "").strip()
    shown = [r for r in rows
             if (not wanted or (r["overdue"] if wanted == "overdue" else r["line"].status == wanted))
             and (not category or r["unit"].category == category)
             and (not query or query in r["unit"].name or query in r["unit"].code)]
    present = {line.status for line in board.lines}
    counts = [(_status_view(s), sum(1 for line in board.lines if line.status == s)) for s in STATUS_VIEW
              if s in present or s in ("passed", "warnings", "errors", "missing")]
    overdue = sum(1 for r in rows if r["overdue"])
    categories = sorted({r["unit"].category for r in rows})
    has_templates = any(ws.template_path(r["unit"].code) for r in rows[:1])
    return render(request, "board.html", board=board, rows=shown, total=len(rows), counts=counts, overdue=overdue,
                  categories=categories, wanted=wanted, category=category, query=query,
                  has_templates=has_templates, deadline=ws.inner.config.deadline)


async def board_xlsx(request: Request) -> Response:
    ws = _ws(request)
    if ws is None:
        return _no_workspace(request)
    tmp = Path(tempfile.mkdtemp(prefix="nianbao-board-"))
    path = ws.write_board(tmp / f"{ws.year}年报送情况_{ws.office}.xlsx")
    return FileResponse(path, filename=path.name, headers=dict(security.SECURITY_HEADERS),
                        background=BackgroundTask(_remove_tree, tmp))


def _remove_tree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


async def chase_page(request: Request) -> Response:
    ws = _ws(request)
    if ws is None:
        return _no_workspace(request)
    _, rows = _board_rows(ws)
    chase = [r for r in rows if r["line"].status in CHASED]
    return render(request, "chase.html", rows=chase, deadline=ws.inner.config.deadline, today=date.today())


# ------------------------------------------------------------------------------------------
# One unit
# ------------------------------------------------------------------------------------------

async def unit_page(request: Request) -> Response:
    ws = _ws(request)
    if ws is None:
        return _no_workspace(request)
    unit = ws.unit(request.path_params["code"])
    if unit is None:
        return error_page(request, message("WEB-NOT-FOUND"), 404)
    line = next(line for line in ws.status().lines if line.unit.code == unit.code)
    history = ws.history(unit.code)
    subs = []
    for item in reversed(history.items):
        sub = item.submission
        items = ws.findings_grouped(sub.id)
        groups = [(label, [i for i in items if i.severity.value == sev]) for sev, label in
                  (("error", "错误"), ("warning", "提示"))]
        decisions = [{"d": d, "text": decision_text(d)} for d in item.decisions]
        subs.append({"sub": sub, "view": _status_view(sub.status), "groups": [g for g in groups if g[1]],
                     "current": sub.is_current, "decisions": decisions})
    current = history.state.submission
    return render(request, "unit.html", unit=unit, line=line, view=_status_view(line.status),
                  overdue=_overdue(ws, line.status), subs=subs, template=ws.template_path(unit.code),
                  current=current, decision=decision_text(history.state.decision),
                  can_accept=current is not None and line.status not in ("untouched", "accepted"),
                  can_reject=current is not None and line.status != "rejected",
                  has_errors=current is not None and current.status == "errors",
                  comparison=_comparison(ws, unit.code))


def _comparison(ws: Workspace, code: str) -> Any:
    try:
        return ws.compare(code)
    except NianbaoError:  # last year's source became unreadable: the page still shows the rest
        return None


def decision_text(d: Any) -> str:
    from nianbao.campaign.status import decision_text as text

    return text(d)


async def review(request: Request) -> Response:
    """Accept or send back the unit's latest return, with a reason (``nianbao accept`` / ``reject``)."""
    posted = await _workspace_form(request)
    if isinstance(posted, Response):
        return posted
    form, ws = posted
    unit = ws.unit(request.path_params["code"])
    if unit is None:
        return error_page(request, message("WEB-NOT-FOUND"), 404)
    action = str(form.get("action", ""))
    reason = str(form.get("reason", ""))
    back = RedirectResponse(f"/unit/{urllib.parse.quote(unit.code, safe='')}", status_code=303)
    # the page showed one submission: a newer one received meanwhile is not decided on unseen
    shown = str(form.get("submission", ""))
    try:
        if action == "accept":
            override = form.get("override_errors") == "1"
            done = ws.accept(unit.code, reason, override_errors=override) if _still(ws, unit.code, shown) else None
        elif action == "reject":
            done = ws.reject(unit.code, reason) if _still(ws, unit.code, shown) else None
        else:
            return error_page(request, message("WEB-NOT-FOUND"), 404)
    except NianbaoError as exc:
        flash(request, say(exc), "error")
        return back
    if done is None:
        flash(request, message("WEB-REVIEW-STALE", unit=unit.name), "error")
        return back
    d, sub = done.decision, done.submission
    code = ("REVIEW-REJECTED" if action == "reject" else
            "REVIEW-ACCEPTED-OVERRIDE" if d.override_errors else "REVIEW-ACCEPTED")
    flash(request, message(code, unit=unit.name, path=sub.original_name, errors=sub.error_count,
                           who=d.decided_by, when=d.decided_at, reason=d.reason))
    return back


def _still(ws: Workspace, code: str, shown: str) -> bool:
    current = ws.history(code).state.submission
    return current is not None and str(current.id) == shown


async def template_download(request: Request) -> Response:
    ws = _ws(request)
    if ws is None:
        return _no_workspace(request)
    path = ws.template_path(request.path_params["code"])
    if path is None:
        return error_page(request, message("WEB-NOT-FOUND"), 404)
    return download(path)


def _submission(request: Request) -> Any:
    ws = _ws(request)
    try:
        sub_id = int(request.path_params["sid"])
    except ValueError:
        return None
    return ws.submission(sub_id) if ws is not None else None


async def original_download(request: Request) -> Response:
    sub = _submission(request)
    ws = _ws(request)
    if sub is None or ws is None:
        return error_page(request, message("WEB-NOT-FOUND"), 404)
    path = ws.original(sub.id)
    if not path.is_file():
        return error_page(request, message("WEB-NOT-FOUND"), 404)
    return download(path, security.safe_name(sub.original_name))


async def feedback_download(request: Request) -> Response:
    sub = _submission(request)
    ws = _ws(request)
    if sub is None or ws is None or sub.status == "refused":
        return error_page(request, message("WEB-NOT-FOUND"), 404)
    from nianbao.campaign.ingest import feedback_name

    unit = ws.unit(sub.unit_code or "")
    name = feedback_name(ws.year, unit.name if unit else sub.unit_name_in_file)
    tmp = Path(tempfile.mkdtemp(prefix="nianbao-feedback-"))
    try:
        path = ws.write_feedback(sub.id, tmp / "feedback.xlsx")
    except NianbaoError as exc:
        _remove_tree(tmp)
        return error_page(request, str(exc), 400)
    return FileResponse(path, filename=name, headers=dict(security.SECURITY_HEADERS),
                        background=BackgroundTask(_remove_tree, tmp))


# ------------------------------------------------------------------------------------------
# Receiving files
# ------------------------------------------------------------------------------------------

def _uploads(ws: Workspace) -> Path:
    return ws.root.joinpath(*UPLOADS)


async def upload_page(request: Request) -> Response:
    ws = _ws(request)
    if ws is None:
        return _no_workspace(request)
    job = _state(request).jobs.latest(str(ws.root), "ingest")
    return render(request, "upload.html", job=job, limit=_mb(_state(request).limit),
                  suffixes="、".join(UPLOAD_SUFFIXES))


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB"


def _json(payload: dict[str, Any], status_code: int = 200) -> JSONResponse:
    return JSONResponse(payload, status_code=status_code, headers=security.SECURITY_HEADERS)


def _json_workspace(request: Request) -> Workspace | Response:
    """A script's request (upload, ingest) acting on the open workspace: the workspace, or the refusal
    to send back as JSON (a missing or wrong CSRF header, or no workspace open)."""
    if not security.csrf_valid(request, request.headers.get(security.CSRF_HEADER)):
        return security.csrf_refused(json=True)
    ws = _state(request).ws
    if ws is None:
        return _json({"ok": False, "message": message("WEB-NO-WORKSPACE")}, 409)
    return ws


async def upload(request: Request) -> Response:
    """One file as the raw request body; its name in the ``X-File-Name`` header (URI-encoded)."""
    ws = _json_workspace(request)
    if isinstance(ws, Response):
        return ws
    state = _state(request)
    given = urllib.parse.unquote(request.headers.get("x-file-name", ""))
    name = security.safe_name(given)
    if Path(name).suffix.lower() not in UPLOAD_SUFFIXES:
        return _json({"ok": False, "message": message("WEB-UPLOAD-TYPE", name=given,
                                                      allowed="、".join(UPLOAD_SUFFIXES))}, 415)
    try:
        stored = await security.store_upload(request, _uploads(ws), name, state.limit)
    except security.TooLarge:
        return _json({"ok": False, "message": message("WEB-UPLOAD-TOO-LARGE", name=given,
                                                      limit=_mb(state.limit))}, 413)
    if stored.size == 0:
        stored.path.unlink(missing_ok=True)
        return _json({"ok": False, "message": message("WEB-UPLOAD-EMPTY", name=given)}, 400)
    notes = [message("WEB-UPLOAD-SAVED", name=name, size=f"{stored.size / 1024:.0f} KB")]
    if name != given:
        notes.insert(0, message("WEB-UPLOAD-RENAMED", name=given, safe=name))
    return _json({"ok": True, "token": stored.token, "name": stored.name, "size": stored.size,
                  "messages": notes})


async def ingest_start(request: Request) -> Response:
    ws = _json_workspace(request)
    if isinstance(ws, Response):
        return ws
    state = _state(request)
    try:
        body = await request.json()
        tokens = [str(t) for t in body.get("files", [])][:5000]
    except (ValueError, AttributeError, TypeError):
        return _json({"ok": False, "message": message("WEB-NOT-FOUND")}, 400)
    paths: list[Path] = []
    for token in tokens:
        path = security.resolve_token(_uploads(ws), token)
        if path is None:
            return _json({"ok": False, "message": message("WEB-UPLOAD-UNKNOWN", name=token)}, 400)
        paths.append(path)
    paths = list(dict.fromkeys(paths))
    try:
        job = state.jobs.start("ingest", str(ws.root), len(paths), lambda job: _ingest(ws, paths, job))
    except Busy as exc:
        return _json({"ok": False, "message": str(exc)}, 409)
    return _json({"ok": True, "job": job.to_json()})


def _ingest(ws: Workspace, paths: list[Path], job: Job) -> None:
    """One file at a time through the API, so that the page shows each as it is done; one bad file
    never stops the batch. The workspace lock is held throughout: a command-line run waits, and this
    job waits (saying so) for one already running."""
    counts = {"recorded": 0, "duplicate": 0, "refused": 0}
    skipped = 0
    with ws.lock(on_wait=lambda text: job.add(text, "warn")):
        for path in paths:
            try:
                result = ws.ingest([path])
            except NianbaoError as exc:
                job.add(str(exc), "error")
                counts["refused"] += 1
            else:
                for o in result.outcomes:
                    counts[o.action] = counts.get(o.action, 0) + 1
                    bad = o.action == "refused" or (o.submission is not None
                                                    and o.submission.status in ("errors", "untouched"))
                    job.add(o.message, "error" if bad else "info")
                for item in result.skipped:
                    skipped += 1
                    job.add(item.message, "error")
                for problem in result.problems:
                    job.add(problem, "error")
            job.done += 1
    job.summary = message("INGEST-SUMMARY", files=sum(counts.values()), recorded=counts["recorded"],
                          duplicates=counts["duplicate"], refused=counts["refused"])
    if skipped:
        job.summary += message("INGEST-SKIPPED-COUNT", count=skipped)


async def job_status(request: Request) -> Response:
    job = _state(request).jobs.get(request.path_params["jid"])
    if job is None:
        return _json({"ok": False, "message": message("WEB-NOT-FOUND")}, 404)
    return _json({"ok": True, "job": job.to_json()})


# ------------------------------------------------------------------------------------------
# Aggregate and the report
# ------------------------------------------------------------------------------------------

async def aggregate_page(request: Request) -> Response:
    ws = _ws(request)
    if ws is None:
        return _no_workspace(request)
    included, missing, with_errors = ws.readiness()
    files = {kind: path for kind, suffix in REPORT_KINDS.items() if (path := ws.report_files().get(suffix))}
    return render(request, "aggregate.html", included=included, missing=missing, with_errors=with_errors,
                  files=files, date=ws.inner.config.date)


async def aggregate_run(request: Request) -> Response:
    posted = await _workspace_form(request)
    if isinstance(posted, Response):
        return posted
    form, ws = posted
    final = form.get("mode") == "final"
    allow = not final and (form.get("allow_incomplete") == "1" or form.get("mode") == "draft")
    when = str(form.get("date", "")).strip() or None

    def work(job: Job) -> None:
        try:
            with ws.lock(timeout=_state(request).lock_wait, on_wait=job.add):
                rollup = ws.aggregate(allow_incomplete=allow, final=final, date=when)
        except NianbaoError as exc:
            job.add(say(exc), "error")
            job.state = "failed"
            return
        job.done = 1
        job.summary = message("WEB-AGG-DONE", count=len(rollup.included))
        if not rollup.complete:
            job.add(message("AGG-EXCLUDED", units="、".join(u.name for u in [*rollup.missing, *rollup.with_errors])))
            job.add(message("CLI-AGG-DRAFT"))

    try:
        job = _state(request).jobs.start("aggregate", str(ws.root), 1, work, wait=True)
    except Busy as exc:
        flash(request, str(exc), "error")
        return RedirectResponse("/aggregate", status_code=303)
    if job.state == "done" and job.summary:
        flash(request, job.summary)
        for line in job.lines:
            flash(request, line["text"], "warn")
    else:
        for line in job.lines:
            flash(request, line["text"], "error")
    return RedirectResponse("/aggregate", status_code=303)


async def report_download(request: Request) -> Response:
    ws = _ws(request)
    if ws is None:
        return _no_workspace(request)
    kind = request.path_params["kind"]
    if kind in MADE_ON_DEMAND and ".json" in ws.report_files():
        from nianbao.campaign.aggregate import output_stem

        tmp = Path(tempfile.mkdtemp(prefix="nianbao-publish-"))
        try:
            made = ws.write_rollup(tmp / f"{output_stem(ws.inner)}{MADE_ON_DEMAND[kind]}")
        except NianbaoError as exc:
            _remove_tree(tmp)
            return error_page(request, str(exc), 400)
        return FileResponse(made, filename=made.name, headers=dict(security.SECURITY_HEADERS),
                            background=BackgroundTask(_remove_tree, tmp))
    suffix = REPORT_KINDS.get(kind)
    path = ws.report_files().get(suffix or "")
    if path is None:
        return error_page(request, message("WEB-NOT-FOUND"), 404)
    return download(path)


# ------------------------------------------------------------------------------------------
# Mail: what each sending will do, shown before it is done
# ------------------------------------------------------------------------------------------

MAIL_KINDS = {"template": "发送填报模板", "feedback": "发送退回修改通知（反馈表）", "remind": "发送催报"}


async def mail_page(request: Request) -> Response:
    ws = _ws(request)
    if ws is None:
        return _no_workspace(request)
    import os

    from nianbao.mail.settings import PASSWORD_ENV, describe

    settings = ws.mail_settings()
    kind = request.query_params.get("kind", "")
    preview = None
    if kind in MAIL_KINDS:
        try:
            result = ws.send(kind, dry_run=True)
            preview = {"kind": kind, "title": MAIL_KINDS[kind], "lines": result.lines, "summary": result.summary,
                       "todo": result.count("dry_run")}
        except NianbaoError as exc:
            preview = {"kind": kind, "title": MAIL_KINDS[kind], "lines": [], "summary": str(exc), "todo": 0}
    state = _state(request)
    return render(request, "mail.html", settings=describe(settings), smtp=bool(settings.smtp_host),
                  imap=bool(settings.imap_host), kinds=MAIL_KINDS, preview=preview,
                  need_password=not os.environ.get(PASSWORD_ENV), job=state.jobs.latest(str(ws.root), "mail"))


async def mail_run(request: Request) -> Response:
    posted = await _workspace_form(request)
    if isinstance(posted, Response):
        return posted
    form, ws = posted
    what = str(form.get("what", ""))
    if what not in (*MAIL_KINDS, "fetch"):
        return error_page(request, message("WEB-NOT-FOUND"), 404)
    secret = str(form.get("password", ""))  # used by this job only, never stored
    ask = (lambda prompt: secret) if secret else None

    def work(job: Job) -> None:
        def line(item: Any) -> None:
            text = getattr(item, "text", item)
            bad = getattr(item, "action", "") in ("refused", "no_file", "no_address")
            job.add(str(text), "error" if bad else "info")
            job.done += 1

        if what == "fetch":
            result = ws.fetch(report=line, ask_password=ask)
            for warning in result.warnings:
                job.add(warning, "warn")
            summary = result.summary
            if result.ingest is not None:
                summary += result.ingest.summary
        else:
            summary = ws.send(what, report=line, ask_password=ask).summary
        job.total = job.total or job.done
        job.summary = summary

    total = 0
    if what != "fetch":
        try:
            total = ws.send(what, dry_run=True).count("dry_run")
        except NianbaoError as exc:
            flash(request, str(exc), "error")
            return RedirectResponse("/mail", status_code=303)
    try:
        _state(request).jobs.start("mail", str(ws.root), total, work)
    except Busy as exc:
        flash(request, str(exc), "error")
    return RedirectResponse("/mail", status_code=303)


# ------------------------------------------------------------------------------------------
# Import a published report (``nianbao import``)
# ------------------------------------------------------------------------------------------

def _import_suffixes() -> tuple[str, ...]:
    from nianbao.sources import IMPORT_SUFFIXES

    return tuple(sorted(IMPORT_SUFFIXES))


async def import_page(request: Request) -> Response:
    return render(request, "import.html", suffixes="、".join(_import_suffixes()), result=None)


async def import_run(request: Request) -> Response:
    state = _state(request)
    form = await _form_with_csrf(request, limit=state.limit + 64 * 1024)
    if form is None:
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > state.limit:
            return render(request, "import.html", status_code=413, suffixes="、".join(_import_suffixes()),
                          result=None, problem=message("WEB-UPLOAD-TOO-LARGE", name="", limit=_mb(state.limit)))
        return security.csrf_refused()
    upload = form.get("report")
    suffixes = _import_suffixes()

    def again(text: str, status_code: int = 400) -> HTMLResponse:
        return render(request, "import.html", status_code=status_code, suffixes="、".join(suffixes), result=None,
                      problem=text)

    if upload is None or isinstance(upload, str) or not upload.filename:
        return again(message("WEB-IMPORT-MISSING"))
    name = security.safe_name(upload.filename)
    if Path(name).suffix.lower() not in suffixes:
        return again(message("WEB-IMPORT-TYPE", name=upload.filename, allowed="、".join(suffixes)))
    import json

    from nianbao.api import check_loaded, import_published, imported_data

    with tempfile.TemporaryDirectory(prefix="nianbao-import-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(await upload.read())
        try:
            imported = import_published(path, year=int(str(form.get("year"))) if str(form.get("year", "")).isdigit()
                                     else None)
        except NianbaoError as exc:
            return again(str(exc))
        data = imported_data(imported)
    loaded = imported.loaded
    report = loaded.report
    result = check_loaded(loaded)
    token = secrets.token_urlsafe(12)
    if len(state.imports) > 50:
        state.imports.clear()
    state.imports[token] = (Path(name).stem + ".json", (json.dumps(data, ensure_ascii=False, indent=2) + "\n")
                            .encode("utf-8"))
    summary = message("IMPORT-READ", path=name, layout=report.layout.id, year=report.year, unit=report.unit.name,
                      count=len(report.values), unread=len(getattr(report, "unreadable", []) or []),
                      sections="、".join(k for k in ("preface", "s1", "s2", "s3", "s4", "s5", "s6")
                                         if report.text.get(k)) or "无")
    from nianbao.present import present

    # the messages name the file as the clerk knows it, not the server's temporary copy
    shown = [{"severity": i.severity, "name": i.name, "grouped": i.grouped, "cells": i.cells,
              "message": i.message.replace(str(path), name)} for i in present(result, report.layout)]
    return render(request, "import.html", suffixes="、".join(suffixes), summary=summary, token=token,
                  result={"items": shown, "errors": len(result.errors), "warnings": len(result.warnings)})


async def import_download(request: Request) -> Response:
    found = _state(request).imports.get(request.path_params["token"])
    if found is None:
        return error_page(request, message("WEB-NOT-FOUND"), 404)
    name, data = found
    quoted = urllib.parse.quote(name)
    return Response(data, media_type="application/json", headers={
        **security.SECURITY_HEADERS, "Content-Disposition": f"attachment; filename*=utf-8''{quoted}"})


# ------------------------------------------------------------------------------------------
# Login
# ------------------------------------------------------------------------------------------

async def login(request: Request) -> Response:
    state = _state(request)
    if request.method == "GET":
        return render(request, "login.html")
    form = await _form_with_csrf(request)
    if form is None:
        return security.csrf_refused()
    if state.password is None or security.check_password(str(form.get("password", "")), state.password):
        request.session["auth"] = True
        return RedirectResponse("/", status_code=303)
    import asyncio

    await asyncio.sleep(1.0)  # a guessing script gets one try a second
    return render(request, "login.html", status_code=401, problem=message("WEB-LOGIN-WRONG"))


async def logout(request: Request) -> Response:
    form = await _form_with_csrf(request)
    if form is None:
        return security.csrf_refused()
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


async def not_found(request: Request, exc: Exception) -> Response:
    return error_page(request, message("WEB-NOT-FOUND"), 404)


# ------------------------------------------------------------------------------------------

_env.globals["decision_text"] = decision_text
_env.globals["consequence_label"] = message("CONSEQUENCE")


def create_app(workspace: str | Path | None = None, *, root: str | Path | None = None,
               password: str | None = None, port: int = 8765) -> Starlette:
    """The application. ``workspace`` is opened at once; the start page offers the workspaces in
    ``root`` (default: the workspace's parent folder, else the current folder). With ``password``
    the page asks for it (and accepts non-loopback clients); without, only loopback is served."""
    ws = None
    base = Path(root) if root is not None else None
    if workspace is not None:
        folder = Path(workspace)
        inside = _workspaces(folder) if folder.is_dir() and not (folder / "nianbao.json").exists() else []
        if len(inside) == 1:  # a folder holding one workspace (what ``nianbao demo DIR`` makes)
            ws = Workspace.open(folder / inside[0]["name"])
            base = base or folder
        elif inside:
            base = base or folder
        else:
            ws = Workspace.open(folder)  # not a workspace: its message says so
    if base is None:
        base = ws.root.resolve().parent if ws is not None else Path.cwd()
    state = State(base.resolve(), ws, password, port)
    routes = [
        Route("/", home),
        Route("/start", start),
        Route("/open", open_workspace, methods=["POST"]),
        Route("/create", create_workspace, methods=["POST"]),
        Route("/templates", make_templates, methods=["POST"]),
        Route("/board", board_page),
        Route("/board.xlsx", board_xlsx),
        Route("/chase", chase_page),
        Route("/unit/{code:path}", unit_page),
        Route("/review/{code:path}", review, methods=["POST"]),
        Route("/template/{code:path}", template_download),
        Route("/submission/{sid}/original", original_download),
        Route("/submission/{sid}/feedback", feedback_download),
        Route("/upload", upload_page, methods=["GET"]),
        Route("/upload", upload, methods=["POST"]),
        Route("/ingest", ingest_start, methods=["POST"]),
        Route("/jobs/{jid}", job_status),
        Route("/aggregate", aggregate_page, methods=["GET"]),
        Route("/aggregate", aggregate_run, methods=["POST"]),
        Route("/report/{kind}", report_download),
        Route("/import", import_page, methods=["GET"]),
        Route("/import", import_run, methods=["POST"]),
        Route("/import/{token}.json", import_download),
        Route("/mail", mail_page, methods=["GET"]),
        Route("/mail", mail_run, methods=["POST"]),
        Route("/login", login, methods=["GET", "POST"]),
        Route("/logout", logout, methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    middleware = [
        Middleware(SessionMiddleware, secret_key=secrets.token_hex(32), session_cookie="nianbao_session",
                   same_site="strict", max_age=12 * 3600),
        Middleware(security.Gate, password=password, port=port),
    ]
    app = Starlette(routes=routes, middleware=middleware, exception_handlers={404: not_found})
    app.state.nianbao = state
    return app

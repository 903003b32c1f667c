#!/usr/bin/python3
"""Drive one headless LibreOffice instance through UNO to run a JSON job.

Run with Debian's own Python, which has the ``uno`` module (the project's
virtual environment does not)::

    /usr/bin/python3 tests/lo/uno_driver.py job.json
    /usr/bin/python3 tests/lo/uno_driver.py < job.json

Job format (all paths absolute)::

    {
      "timeout": 150,                      # optional, seconds for the whole job
      "pgid_file": "/abs/file",            # optional: the driver writes
                                           # {"pgid": soffice's process group, "profile": dir}
                                           # there, for the caller's last-resort cleanup
                                           # if the driver itself is SIGKILLed
      "actions": [
        {"op": "fill", "src": "/abs/in.xlsx", "dst": "/abs/out.xlsx", "recalc": true,
         "cells": [{"sheet": "表三", "cell": "D4", "value": 3},
                   {"sheet": "基本信息", "cell": "B5", "string": "张三"},
                   {"sheet": "表三", "cell": "E4", "formula": "=D4*2"},
                   {"sheet": "表三", "cell": "F4", "clear": true}]},
        {"op": "read", "src": "/abs/x.xlsx", "cells": [{"sheet": "表三", "cell": "J4"}]},
        {"op": "convert", "src": "/abs/r.docx", "dst": "/abs/r.pdf",
         "filter": "writer_pdf_Export"},
        {"op": "sheet_protection", "src": "/abs/x.xlsx"}
      ]
    }

Result on stdout (one entry per action, same order)::

    {"results": [...], "startup_seconds": 1.2, "total_seconds": 2.5}

* fill  -> {"op", "dst", "cells_written"}
* read  -> {"op", "src", "cells": [{"sheet", "cell", "value", "string", "formula",
                                     "type", "error"}]}
* convert -> {"op", "dst", "filter", "size"}
* sheet_protection -> {"op", "src", "sheets": [{"name", "protected"}]}

Every loaded document is recalculated on load: the throw-away profile sets
``OOXMLRecalcMode`` (and ``ODFRecalcMode``) to 0 = always.  Cell writes go
through the UNO API (setValue/setString/setFormula), which ignores sheet
protection on purpose: it lets a test overwrite a locked total the way a
determined clerk would.

Errors: message on stderr, exit code 1 (bad job: 2).  The soffice process
group is always killed and the profile removed, also on error or timeout.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid

import uno  # Debian's python3-uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

XLSX_FILTER = "Calc MS Excel 2007 XML"
DEFAULT_TIMEOUT = 150.0
CONNECT_TIMEOUT = 60.0

# com.sun.star.sheet.CellFlags: VALUE | DATETIME | STRING | FORMULA
_CLEAR_FLAGS = 1 | 2 | 4 | 16

# Throw-away profile settings (user/registrymodifications.xcu).
_SETTINGS = [
    # Recalculate every loaded xlsx / ods (0 = always), as an independent oracle.
    ("/org.openoffice.Office.Calc/Formula/Load", "OOXMLRecalcMode", "0"),
    ("/org.openoffice.Office.Calc/Formula/Load", "ODFRecalcMode", "0"),
    # No .~lock files: a killed office must not leave locks that block the next
    # job (or litter the repository's fixtures).
    ("/org.openoffice.Office.Common/Misc", "UseLocking", "false"),
    ("/org.openoffice.Office.Common/Misc", "UseDocumentOOoLockFile", "false"),
    ("/org.openoffice.Office.Common/Misc", "UseDocumentSystemFileLocking", "false"),
    ("/org.openoffice.Office.Common/Misc", "FirstRun", "false"),
    ("/org.openoffice.Office.Common/Misc", "ShowTipOfTheDay", "false"),
    ("/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "3"),
]


def _xcu():
    items = "".join(
        f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse">'
        f"<value>{value}</value></prop></item>\n"
        for path, name, value in _SETTINGS
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        f"{items}</oor:items>\n"
    )


class JobError(Exception):
    """A malformed job (exit code 2)."""


def _props(**kwargs):
    out = []
    for name, value in kwargs.items():
        p = PropertyValue()
        p.Name = name
        p.Value = value
        out.append(p)
    return tuple(out)


def _url(path):
    if not os.path.isabs(path):
        raise JobError(f"path must be absolute: {path!r}")
    return uno.systemPathToFileUrl(path)


class Office:
    """One soffice process with its own profile and pipe."""

    def __init__(self, timeout, pgid_file=None):
        self.timeout = timeout
        self.pgid_file = pgid_file
        self.tag = "nianbao_lo_" + uuid.uuid4().hex
        self.profile = tempfile.mkdtemp(prefix="nianbao-lo-profile-")
        self.proc = None
        self.log = None
        self.desktop = None
        self.timed_out = False
        self._killed = False
        self._lock = threading.Lock()
        self._timer = None

    # -- lifecycle -------------------------------------------------------
    def start(self):
        user = os.path.join(self.profile, "user")
        os.makedirs(user)
        with open(os.path.join(user, "registrymodifications.xcu"), "w", encoding="utf-8") as f:
            f.write(_xcu())
        soffice = shutil.which("soffice") or "/usr/bin/soffice"
        cmd = [
            soffice,
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nofirststartwizard",
            "--nolockcheck",
            "-env:UserInstallation=" + uno.systemPathToFileUrl(self.profile),
            f"--accept=pipe,name={self.tag};urp;",
        ]
        self.log = open(os.path.join(self.profile, "soffice.log"), "w+b")
        env = dict(os.environ)
        env.setdefault("SAL_USE_VCLPLUGIN", "svp")
        self.proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,  # own process group: killpg(pid)
        )
        if self.pgid_file:
            with open(self.pgid_file, "w") as f:
                json.dump({"pgid": self.proc.pid, "profile": self.profile}, f)
        # Watchdog: a hung UNO call blocks the main thread, so kill from a thread;
        # the blocked call then fails with a DisposedException.
        self._timer = threading.Timer(self.timeout, self._on_timeout)
        self._timer.daemon = True
        self._timer.start()
        self.desktop = self._connect()

    def _connect(self):
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        url = f"uno:pipe,name={self.tag};urp;StarOffice.ComponentContext"
        limit = min(CONNECT_TIMEOUT, self.timeout)
        deadline = time.monotonic() + limit
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"soffice exited with code {self.proc.returncode} before accepting "
                    f"connections; log:\n{self._log_text()}"
                )
            try:
                ctx = resolver.resolve(url)
                return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
            except NoConnectException as e:
                last = e
                time.sleep(0.2)
        raise RuntimeError(
            f"could not connect to soffice within {limit:g} s: "
            f"{getattr(last, 'Message', last)}; log:\n{self._log_text()}"
        )

    def _on_timeout(self):
        self.timed_out = True
        self.kill()

    def _log_text(self):
        try:
            self.log.flush()
            self.log.seek(0)
            return self.log.read().decode("utf-8", "replace")[-4000:]
        except Exception:  # pragma: no cover
            return "(no log)"

    def kill(self):
        with self._lock:
            if self._killed or self.proc is None:
                return
            self._killed = True
        pgid = self.proc.pid  # session leader: pgid == pid
        for sig, wait in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(pgid, sig)
            except ProcessLookupError:
                break
            try:
                self.proc.wait(wait)
            except subprocess.TimeoutExpired:
                continue
            # The launcher is gone; make sure nothing else in the group survives.
            try:
                os.killpg(pgid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            break

    def close(self):
        if self._timer is not None:
            self._timer.cancel()
        self.desktop = None
        self.kill()
        if self.log is not None:
            self.log.close()
        shutil.rmtree(self.profile, ignore_errors=True)
        if self.pgid_file:
            try:
                os.unlink(self.pgid_file)
            except OSError:
                pass

    # -- documents -------------------------------------------------------
    def load(self, path):
        if not os.path.isfile(path):
            raise FileNotFoundError(path)
        doc = self.desktop.loadComponentFromURL(_url(path), "_blank", 0, _props(Hidden=True))
        if doc is None:
            raise RuntimeError(f"LibreOffice could not load {path} (unsupported, damaged or locked?)")
        return doc

    def load_spreadsheet(self, path):
        doc = self.load(path)
        if not doc.supportsService("com.sun.star.sheet.SpreadsheetDocument"):
            self.close_doc(doc)
            raise RuntimeError(f"LibreOffice did not open {path} as a spreadsheet")
        return doc

    @staticmethod
    def close_doc(doc):
        try:
            doc.close(True)
        except Exception:
            try:
                doc.dispose()
            except Exception:
                pass


def _sheet(doc, name):
    sheets = doc.Sheets
    if not sheets.hasByName(name):
        raise KeyError(f"no sheet {name!r}; sheets: {list(sheets.ElementNames)}")
    return sheets.getByName(name)


def _cell(doc, spec):
    try:
        sheet, ref = spec["sheet"], spec["cell"]
    except (KeyError, TypeError):
        raise JobError(f"cell spec needs 'sheet' and 'cell': {spec!r}") from None
    return _sheet(doc, sheet).getCellRangeByName(ref)


def _store(doc, dst, filter_name):
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    doc.storeToURL(_url(dst), _props(FilterName=filter_name, Overwrite=True))


def op_fill(office, action):
    src, dst = action["src"], action["dst"]
    cells = action.get("cells", [])
    doc = office.load_spreadsheet(src)
    try:
        for spec in cells:
            cell = _cell(doc, spec)
            if "value" in spec:
                v = spec["value"]
                if not isinstance(v, (int, float)):
                    raise JobError(f"'value' must be a number: {spec!r}")
                cell.setValue(float(v))
            elif "string" in spec:
                cell.setString(str(spec["string"]))
            elif "formula" in spec:
                cell.setFormula(str(spec["formula"]))
            elif spec.get("clear"):
                cell.clearContents(_CLEAR_FLAGS)
            else:
                raise JobError(f"cell spec needs value/string/formula/clear: {spec!r}")
        if action.get("recalc", True):
            doc.calculateAll()
        _store(doc, dst, action.get("filter", XLSX_FILTER))
    finally:
        office.close_doc(doc)
    return {"op": "fill", "dst": dst, "cells_written": len(cells)}


def _read_cell(doc, spec):
    cell = _cell(doc, spec)
    return {
        "sheet": spec["sheet"],
        "cell": spec["cell"],
        "value": cell.getValue(),
        "string": cell.getString(),
        "formula": cell.getFormula(),
        "type": cell.Type.value,  # EMPTY / VALUE / TEXT / FORMULA
        "error": cell.getError(),  # 0 = no error (e.g. 532 = #DIV/0!)
    }


def op_read(office, action):
    doc = office.load_spreadsheet(action["src"])
    try:
        doc.calculateAll()
        cells = [_read_cell(doc, spec) for spec in action.get("cells", [])]
    finally:
        office.close_doc(doc)
    return {"op": "read", "src": action["src"], "cells": cells}


def op_convert(office, action):
    src, dst = action["src"], action["dst"]
    filter_name = action.get("filter")
    if not filter_name:
        raise JobError("convert needs 'filter' (e.g. writer_pdf_Export, calc_pdf_Export)")
    doc = office.load(src)
    try:
        if action.get("recalc", True) and hasattr(doc, "calculateAll"):
            doc.calculateAll()
        _store(doc, dst, filter_name)
    finally:
        office.close_doc(doc)
    return {"op": "convert", "dst": dst, "filter": filter_name, "size": os.path.getsize(dst)}


def op_sheet_protection(office, action):
    doc = office.load_spreadsheet(action["src"])
    try:
        sheets = doc.Sheets
        out = []
        for i in range(sheets.getCount()):
            sh = sheets.getByIndex(i)
            out.append({"name": sh.getName(), "protected": bool(sh.isProtected())})
    finally:
        office.close_doc(doc)
    return {"op": "sheet_protection", "src": action["src"], "sheets": out}


OPS = {
    "fill": op_fill,
    "read": op_read,
    "convert": op_convert,
    "sheet_protection": op_sheet_protection,
}


def _validate(job):
    if not isinstance(job, dict) or not isinstance(job.get("actions"), list):
        raise JobError("job must be an object with an 'actions' list")
    for i, action in enumerate(job["actions"]):
        if not isinstance(action, dict) or action.get("op") not in OPS:
            raise JobError(f"action {i}: unknown op {action!r}; known: {sorted(OPS)}")
        needed = {"fill": ("src", "dst"), "convert": ("src", "dst")}.get(action["op"], ("src",))
        for key in needed:
            if not isinstance(action.get(key), str) or not os.path.isabs(action[key]):
                raise JobError(f"action {i} ({action['op']}): '{key}' must be an absolute path")


def run(job):
    _validate(job)
    t0 = time.monotonic()
    office = Office(float(job.get("timeout", DEFAULT_TIMEOUT)), job.get("pgid_file"))
    try:
        office.start()
        startup = time.monotonic() - t0
        results = []
        for i, action in enumerate(job["actions"]):
            ta = time.monotonic()
            try:
                res = OPS[action["op"]](office, action)
            except JobError:
                raise
            except Exception as e:
                if office.timed_out:
                    raise RuntimeError(
                        f"job timed out after {office.timeout:.0f} s (action {i}: {action['op']})"
                    ) from e
                msg = getattr(e, "Message", "") or str(e)
                raise RuntimeError(f"action {i} ({action['op']}) failed: {type(e).__name__}: {msg}") from e
            res["seconds"] = round(time.monotonic() - ta, 3)
            results.append(res)
        return {
            "results": results,
            "startup_seconds": round(startup, 3),
            "total_seconds": round(time.monotonic() - t0, 3),
        }
    finally:
        office.close()


def _on_sigterm(signum, frame):
    raise SystemExit(143)


def main(argv):
    # Keep stdout clean for the JSON result: anything else that writes to fd 1
    # (libraries, soffice messages) goes to stderr.
    real_stdout = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    # SIGTERM -> normal exception path, so `finally` kills soffice.
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        if len(argv) > 1 and argv[1] != "-":
            with open(argv[1], encoding="utf-8") as f:
                job = json.load(f)
        else:
            job = json.loads(sys.stdin.buffer.read().decode("utf-8"))
        result = run(job)
    except (JobError, json.JSONDecodeError) as e:
        print(f"uno_driver: bad job: {e}", file=sys.stderr)
        return 2
    except SystemExit:
        print("uno_driver: terminated", file=sys.stderr)
        return 143
    except Exception as e:
        print(f"uno_driver: error: {e}", file=sys.stderr)
        return 1
    real_stdout.write(json.dumps(result, ensure_ascii=False).encode("utf-8") + b"\n")
    real_stdout.flush()
    return 0


if __name__ == "__main__":
    code = main(sys.argv)
    sys.stderr.flush()
    # Skip interpreter teardown: the UNO bridge to the killed office can block it.
    os._exit(code)

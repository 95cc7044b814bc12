#!/usr/bin/env python3
"""The Helix editor test: the real `hx` with the shipped languages.toml, driven through tmux.

Helix has no scripting or headless mode, so it runs in a private detached tmux server: keys go
in with `send-keys`, the screen comes back with `capture-pane`, and `hx -v --log FILE` records
every JSON-RPC message, a second view of what the client did.

    HX=/opt/dockerfile-ls-editors/bin/hx DOCKERFILE_LS=target/debug/dockerfile-ls \
        python3 editors/helix/test/test_helix.py

The workspace gets editors/testdata/Dockerfile, the user config gets editors/helix/languages.toml
verbatim, and the project config (.helix/languages.toml) sets one server setting, as a user
would. `dockerfile-ls` is put on PATH. Checks: `hx --health dockerfile` finds the server;
diagnostics appear inline (UTF-8 positions after CJK and emoji); hover (space k) shows the flag's
documentation; the quick fix (space a) is applied; the diagnostic goes away; `:w` writes the
file; `:q!` shuts the server down. Exit status 0 when every check passed.
"""
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
HELIX_DIR = os.path.dirname(HERE)
FIXTURE = os.path.join(HELIX_DIR, "..", "testdata", "Dockerfile")
TIMEOUT = float(os.environ.get("DLS_TIMEOUT", "15"))
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

# What the fixture makes the server say (0-based lines).
MAINTAINER_LINE = 4
MAINTAINER_MESSAGE = "MAINTAINER is deprecated"
FIXED_LINE = 'LABEL org.opencontainers.image.authors="张伟 🐳 <zhang.wei@example.com>"'
FIX_TITLE = "Replace with the org.opencontainers.image.authors label"
COPY_LINE = 6
HOVER_EXPECT = "Copy from a build stage"
# The project config switches ReservedStageName off: these two remain (other rules may add more).
EXPECTED_CODES = {"MaintainerDeprecated", "InvalidStageReference"}
IGNORED_CODE = "ReservedStageName"
PROJECT_CONFIG = '[language-server.dockerfile-ls.config.dockerfileLs]\nignore = ["ReservedStageName"]\n'

results = {"checks": [], "ok": True}


def check(name, ok, detail=""):
    results["checks"].append({"name": name, "ok": bool(ok), "detail": detail})
    if not ok:
        results["ok"] = False
    text = detail if isinstance(detail, str) else json.dumps(detail, ensure_ascii=False)
    print(f"[{'PASS' if ok else 'FAIL'}] {name} {text.replace(chr(10), ' ')[:160]}", file=sys.stderr)
    return ok


class Tmux:
    """A private tmux server holding one session, `hx`."""

    def __init__(self, socket):
        self.base = ["tmux", "-L", socket, "-f", "/dev/null"]

    def run(self, *args, check=True):
        return subprocess.run(self.base + list(args), check=check, capture_output=True, text=True).stdout

    def keys(self, *keys):
        self.run("send-keys", "-t", "hx", *keys)

    def text(self, text):
        self.run("send-keys", "-t", "hx", "-l", text)

    def escape(self):
        # ESC followed at once by another byte reads as Alt+<byte> to hx: let it stand alone.
        self.keys("Escape")
        time.sleep(0.2)

    def screen(self, escapes=False):
        return self.run("capture-pane", "-p", "-t", "hx", *(["-e"] if escapes else []), check=False)

    def wait_screen(self, predicate, timeout=TIMEOUT, escapes=False):
        end = time.time() + timeout
        screen = ""
        while time.time() < end:
            screen = self.screen(escapes)
            if predicate(screen):
                return True, screen
            time.sleep(0.05)
        return False, screen

    def alive(self):
        return subprocess.run(self.base + ["has-session", "-t", "hx"], capture_output=True).returncode == 0

    def kill(self):
        subprocess.run(self.base + ["kill-server"], capture_output=True)


def log_messages(path):
    """The JSON-RPC messages in hx's log, as (direction, message): `->` to the server, `<-` from it."""
    found = []
    if not os.path.exists(path):
        return found
    pattern = re.compile(r"helix_lsp::transport \[INFO\] \S+ (->|<-) (\{.*)$")
    with open(path, encoding="utf-8", errors="replace") as log:
        for line in log:
            match = pattern.search(line)
            if match:
                try:
                    found.append((match.group(1), json.loads(match.group(2))))
                except ValueError:
                    pass
    return found


def wait_log(path, predicate, timeout=TIMEOUT):
    end = time.time() + timeout
    while time.time() < end:
        messages = log_messages(path)
        if predicate(messages):
            return True, messages
        time.sleep(0.05)
    return False, log_messages(path)


def publications(messages):
    return [m["params"] for d, m in messages if d == "<-" and m.get("method") == "textDocument/publishDiagnostics"]


def codes(publication):
    return {str(d.get("code")) for d in publication["diagnostics"]}


def as_expected(publication, expected):
    found = codes(publication)
    return expected <= found and IGNORED_CODE not in found


def goto(tmux, line, column):
    """Cursor to a 0-based line and character (Helix moves by grapheme)."""
    tmux.escape()
    tmux.text(f"{line + 1}gg")
    tmux.text("gh")
    if column:
        tmux.text(f"{column}l")
    time.sleep(0.15)


def main():
    hx = os.environ.get("HX") or shutil.which("hx")
    server = os.environ.get("DOCKERFILE_LS")
    if not hx or not server:
        print("set HX to the hx binary and DOCKERFILE_LS to the server binary", file=sys.stderr)
        return 2
    work = tempfile.mkdtemp(prefix="dls-helix-")
    workspace = os.path.join(work, "ws")
    config = os.path.join(work, "config", "helix")
    bin_dir = os.path.join(work, "bin")
    for directory in (workspace, config, bin_dir, os.path.join(workspace, ".git"), os.path.join(workspace, ".helix")):
        os.makedirs(directory, exist_ok=True)
    os.symlink(os.path.realpath(server), os.path.join(bin_dir, "dockerfile-ls"))
    dockerfile = os.path.join(workspace, "Dockerfile")
    shutil.copyfile(FIXTURE, dockerfile)
    # The user config: the shipped snippet as it stands.
    shutil.copyfile(os.path.join(HELIX_DIR, "languages.toml"), os.path.join(config, "languages.toml"))
    # The project config: one setting, merged by Helix over the user config.
    with open(os.path.join(workspace, ".helix", "languages.toml"), "w") as project:
        project.write(PROJECT_CONFIG)
    # Diagnostics as text on screen, so capture-pane can read them.
    with open(os.path.join(config, "config.toml"), "w") as editor:
        editor.write('[editor]\nend-of-line-diagnostics = "hint"\n'
                     '[editor.inline-diagnostics]\ncursor-line = "hint"\nother-lines = "hint"\n')
    env = dict(os.environ,
               PATH=bin_dir + os.pathsep + os.environ.get("PATH", ""),
               XDG_CONFIG_HOME=os.path.join(work, "config"),
               XDG_CACHE_HOME=os.path.join(work, "cache"),
               XDG_DATA_HOME=os.path.join(work, "data"),
               NO_COLOR="1")
    log = os.path.join(work, "hx.log")
    started = time.time()

    results["hx_version"] = subprocess.run([hx, "--version"], capture_output=True, text=True, env=env).stdout.strip()
    health = subprocess.run([hx, "--health", "dockerfile"], capture_output=True, text=True, env=env, cwd=workspace)
    health_text = ANSI.sub("", health.stdout)
    found = [line.strip() for line in health_text.splitlines() if "✓ dockerfile-ls:" in line]
    check("health", health.returncode == 0 and found and os.path.join(bin_dir, "dockerfile-ls") in found[0],
          found[0] if found else health_text)

    tmux = Tmux(f"dls-helix-{os.getpid()}")
    env_args = [f"{key}={env[key]}" for key in ("PATH", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "NO_COLOR")]
    command = ["env"] + env_args + [hx, "-v", "--log", log, "Dockerfile"]
    tmux.run("new-session", "-d", "-s", "hx", "-x", "140", "-y", "40", "-c", workspace, shlex.join(command))
    try:
        steps(tmux, log, dockerfile)
    except Exception as error:  # a broken step is a failed check, and the cleanup still runs
        check("exception", False, repr(error))
    finally:
        results["last_screen"] = tmux.screen() if tmux.alive() else ""
        if tmux.alive():
            tmux.kill()
        results["elapsed_s"] = round(time.time() - started, 2)
        results["lsp_methods"] = [f"{d} {m.get('method', 'response')}" for d, m in log_messages(log)]
        if not results["ok"]:
            print(results["last_screen"], file=sys.stderr)
        if os.environ.get("DLS_KEEP"):
            print(f"work dir kept: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(results, ensure_ascii=False))
    return 0 if results["ok"] else 1


def steps(tmux, log, dockerfile):
    # 1. Diagnostics: pushed (Helix 25.01 does not pull), with the project setting applied.
    def initialize_answers(ms):
        return [m for d, m in ms if d == "<-" and isinstance(m.get("result"), dict) and "capabilities" in m["result"]]

    ok, messages = wait_log(log, lambda ms: bool(initialize_answers(ms)))
    check("initialized", ok)
    initialize = initialize_answers(messages)
    encoding = initialize[0]["result"]["capabilities"].get("positionEncoding") if initialize else None
    check("utf8_negotiated", encoding == "utf-8", str(encoding))

    ok, messages = wait_log(log, lambda ms: any(as_expected(p, EXPECTED_CODES) for p in publications(ms)))
    matching = [p for p in publications(messages) if as_expected(p, EXPECTED_CODES)]
    last = matching[-1] if matching else {"diagnostics": []}
    check("diagnostics_published", ok, sorted(codes(last)))
    with open(dockerfile, encoding="utf-8") as file:
        copy_text = file.read().splitlines()[COPY_LINE]
    start = len(copy_text[: copy_text.index("nowhere")].encode("utf-8"))
    reference = [d for d in last["diagnostics"] if d.get("code") == "InvalidStageReference"]
    where = reference[0]["range"] if reference else None
    check("utf8_diagnostic_range",
          where == {"start": {"line": COPY_LINE, "character": start}, "end": {"line": COPY_LINE, "character": start + 7}},
          json.dumps(where))
    ok, screen = tmux.wait_screen(lambda s: MAINTAINER_MESSAGE in s and "No stage named" in s)
    check("diagnostics_on_screen", ok, MAINTAINER_MESSAGE)

    # 2. Hover (space k) on the last letter of `--from=nowhere`, after CJK and emoji.
    goto(tmux, COPY_LINE, copy_text.index("nowhere") + 6)
    tmux.keys("Space")
    tmux.keys("k")
    ok, screen = tmux.wait_screen(lambda s: HOVER_EXPECT in s)
    results["hover_screen"] = screen
    check("hover_popup", ok, HOVER_EXPECT)
    tmux.escape()
    tmux.wait_screen(lambda s: HOVER_EXPECT not in s, timeout=3)

    # 3. The quick fix from the code-action menu (space a): the selected row is reverse video.
    goto(tmux, MAINTAINER_LINE, 0)
    tmux.keys("Space")
    tmux.keys("a")
    ok, screen = tmux.wait_screen(lambda s: FIX_TITLE in s)
    results["code_action_screen"] = screen
    check("code_action_menu", ok, FIX_TITLE)
    if not ok:
        return
    selected = False
    for _ in range(10):
        rows = tmux.screen(escapes=True).splitlines()
        selected = any("\x1b[7m" in row and FIX_TITLE in ANSI.sub("", row.split("\x1b[7m", 1)[1]) for row in rows)
        if selected:
            break
        tmux.keys("Down")
        time.sleep(0.1)
    check("code_action_selected", selected, FIX_TITLE)
    tmux.keys("Enter")
    ok, screen = tmux.wait_screen(lambda s: FIXED_LINE in s)
    check("quick_fix_on_screen", ok, FIXED_LINE)
    ok, _ = wait_log(log, lambda ms: any(d == "->" and m.get("method") == "textDocument/didChange" for d, m in ms))
    check("didChange_sent", ok)
    def cleared(ms):
        last = publications(ms)[-1] if publications(ms) else None
        return last is not None and as_expected(last, EXPECTED_CODES - {"MaintainerDeprecated"}) \
            and "MaintainerDeprecated" not in codes(last)

    ok, messages = wait_log(log, cleared)
    check("diagnostic_cleared", ok, sorted(codes(publications(messages)[-1])) if publications(messages) else [])
    ok, screen = tmux.wait_screen(lambda s: MAINTAINER_MESSAGE not in s)
    check("diagnostic_cleared_on_screen", ok, MAINTAINER_MESSAGE)

    # 4. :w writes the fixed file (through a temporary file and a rename).
    tmux.escape()
    tmux.text(":w")
    tmux.keys("Enter")
    end = time.time() + TIMEOUT
    lines = []
    while time.time() < end:
        try:
            with open(dockerfile, encoding="utf-8") as file:
                lines = file.read().splitlines()
        except FileNotFoundError:
            lines = []
        if len(lines) > MAINTAINER_LINE and lines[MAINTAINER_LINE] == FIXED_LINE:
            break
        time.sleep(0.05)
    check("written_to_disk", len(lines) == 9 and lines[MAINTAINER_LINE] == FIXED_LINE,
          lines[MAINTAINER_LINE] if len(lines) > MAINTAINER_LINE else "")
    ok, _ = wait_log(log, lambda ms: any(d == "->" and m.get("method") == "textDocument/didSave" for d, m in ms))
    check("didSave_sent", ok)

    # 5. :q! ends hx, which shuts the server down.
    tmux.text(":q!")
    tmux.keys("Enter")
    end = time.time() + TIMEOUT
    while time.time() < end and tmux.alive():
        time.sleep(0.05)
    check("hx_exited", not tmux.alive())
    ok, _ = wait_log(log, lambda ms: any(d == "->" and m.get("method") == "shutdown" for d, m in ms), timeout=3)
    check("shutdown_sent", ok)


if __name__ == "__main__":
    sys.exit(main())

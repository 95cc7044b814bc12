"""BuildKit's own parser (PyPI `dockerfile`, Go bindings of moby/buildkit's parser) for the tests.

    python oracle.py parse    < JSON list of Dockerfile texts  > JSON list of results
    python oracle.py verify   < JSON list of [original, fixed] paths > JSON list of problems

`parse` gives each text as BuildKit's parser sees it, in the shape `dockerfile-ls parse --json`
prints. `verify` checks that a fixed file still parses and that every word of every RUN, COPY
and ADD of each stage of the original is still in the same stage of the fixed file, but for the
rewrites safe fixes make on purpose: `apt` becomes `apt-get` or `apt-cache` (`full-upgrade`
becomes `dist-upgrade`), and a leading `cd DIR &&` becomes `WORKDIR DIR`.
"""
import json
import sys

import dockerfile


def parse_text(text):
    # The bindings pass strings through C: a NUL would cut the text short.
    if "\x00" in text:
        return {"skip": True}
    try:
        commands = dockerfile.parse_string(text)
    except dockerfile.GoParseError as error:
        return {"ok": False, "error": str(error)}
    except UnicodeDecodeError:
        return {"skip": True}
    return {
        "ok": True,
        "instructions": [
            {
                "cmd": command.cmd,
                "sub_cmd": command.sub_cmd,
                "json": command.json,
                "flags": list(command.flags),
                "value": list(command.value),
                "start_line": command.start_line,
                "end_line": command.end_line,
                "heredocs": [
                    {"name": heredoc.name, "file_descriptor": heredoc.file_descriptor, "content": heredoc.content}
                    for heredoc in command.heredocs
                ],
            }
            for command in commands
        ],
    }


def words(text):
    """Shell words, with the `;` that may now close a group and grouping tokens set aside."""
    found = []
    for word in text.split():
        word = word.rstrip(";")
        if word and word not in ("{", "}", "(", ")", "&&"):
            found.append(word)
    return found


def stages(commands):
    """Words of RUN/COPY/ADD per stage (a stage starts at each FROM), and the directories its
    WORKDIRs name."""
    result = [([], [])]
    for command in commands:
        name = command.cmd.upper()
        if name == "FROM":
            result.append(([], []))
            continue
        if name == "WORKDIR":
            result[-1][1].extend(command.value)
            continue
        effective = (command.sub_cmd or "").upper() if name == "ONBUILD" else name
        if effective in ("RUN", "COPY", "ADD"):
            for value in command.value:
                result[-1][0].extend(words(value))
            for heredoc in command.heredocs:
                result[-1][0].extend(words(heredoc.content))
    return result


def rewritten(lost, old, new):
    """The lost words a safe fix rewrites on purpose, when the fixed stage shows the rewrite."""
    gained_workdirs = list(new[1])
    for directory in old[1]:
        if directory in gained_workdirs:
            gained_workdirs.remove(directory)
    explained = []
    for word in lost:
        if word == "apt" and ("apt-get" in new[0] or "apt-cache" in new[0]):
            explained.append(word)
        elif word == "full-upgrade" and "dist-upgrade" in new[0]:
            explained.append(word)
        elif word == "cd" and gained_workdirs:
            explained.append(word)
        elif word in gained_workdirs:
            explained.append(word)
    return explained


def verify(original_path, fixed_path):
    with open(original_path, encoding="utf-8", errors="replace") as handle:
        try:
            original = dockerfile.parse_string(handle.read())
        except dockerfile.GoParseError:
            # A file BuildKit rejects stays out of the comparison.
            return None
    try:
        with open(fixed_path, encoding="utf-8", errors="replace") as handle:
            fixed = dockerfile.parse_string(handle.read())
    except dockerfile.GoParseError as error:
        return f"the fixed file does not parse: {error}"
    before, after = stages(original), stages(fixed)
    if len(before) != len(after):
        return f"{len(before) - 1} stages before, {len(after) - 1} after"
    for number, (old, new) in enumerate(zip(before, after)):
        remaining = set(new[0])
        lost = [word for word in old[0] if word not in remaining]
        explained = rewritten(lost, old, new)
        lost = [word for word in lost if word not in explained]
        if lost:
            return f"stage {number}: lost {lost[:5]}"
    return None


def main():
    command = sys.argv[1]
    request = json.load(sys.stdin)
    if command == "parse":
        json.dump([parse_text(text) for text in request], sys.stdout)
    elif command == "verify":
        problems = []
        for original, fixed in request:
            problem = verify(original, fixed)
            if problem:
                problems.append({"file": original, "problem": problem})
        json.dump(problems, sys.stdout)
    else:
        sys.exit(f"unknown command {command}")


main()

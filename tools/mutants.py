"""Single-defect mutants of real Dockerfiles: what docker-langserver reports, and whether we do.

Takes corpus files, applies one mutation at a time (drop an argument, corrupt a flag, a bad
duration, a lower-case keyword, single-quoted JSON, ONBUILD ONBUILD, a bad port or signal, an
AS typo, ...), runs docker-langserver and dockerfile-ls over stdio on the original and on the
mutant, and counts, per mutation kind, the mutants where docker-langserver reports a new
finding on the mutated line and how many of those we report on that line too. It also
inserts valid-syntax controls (lines current BuildKit accepts) and lists every finding either
server gives on them.

    python3 tools/mutants.py --dls 'node ~/peers/node_modules/dockerfile-language-server-nodejs/bin/docker-langserver --stdio' \\
        --ours target/debug/dockerfile-ls --per-kind 40 ../shared/corpus/dockerfiles/*

Prints a table on stderr and a JSON report on stdout (--details for every mutant).
A measurement tool, not part of `cargo test`; needs Node for docker-langserver.
"""
import argparse
import json
import os
import random
import re
import shlex
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lsp_stdio import Server  # noqa: E402

KEYWORDS = ('ADD ARG CMD COPY ENTRYPOINT ENV EXPOSE FROM HEALTHCHECK LABEL MAINTAINER ONBUILD '
            'RUN SHELL STOPSIGNAL USER VOLUME WORKDIR').split()


class Document:
    """A Dockerfile's lines, and which of them are whole one-line instructions."""

    def __init__(self, text):
        self.text = text
        self.lines = text.split('\n')
        self.single = []  # indexes of one-line instructions outside heredocs
        continued = False
        heredoc = None
        for index, line in enumerate(self.lines):
            stripped = line.strip()
            if heredoc is not None:
                if stripped.lstrip('\t') == heredoc:
                    heredoc = None
                continue
            ends = line.rstrip().endswith('\\')
            if not continued and not ends and stripped and not stripped.startswith('#'):
                word = stripped.split(None, 1)[0].upper()
                if word in KEYWORDS:
                    self.single.append(index)
            marker = re.search(r'<<-?["\']?([A-Za-z_][A-Za-z0-9_]*)', line)
            if marker and not ends and word_of(line) in ('RUN', 'COPY', 'ADD'):
                heredoc = marker.group(1)
            continued = ends

    def instructions(self, keyword):
        return [index for index in self.single if word_of(self.lines[index]) == keyword]

    def first_from(self):
        found = self.instructions('FROM')
        return found[0] if found else None

    def replaced(self, index, line):
        lines = list(self.lines)
        lines[index] = line
        return '\n'.join(lines), index

    def inserted_after(self, index, line):
        lines = list(self.lines)
        lines.insert(index + 1, line)
        return '\n'.join(lines), index + 1

    def appended(self, line):
        lines = list(self.lines)
        while lines and lines[-1] == '':
            lines.pop()
        lines.append(line)
        return '\n'.join(lines) + '\n', len(lines) - 1


def word_of(line):
    parts = line.split(None, 1)
    return parts[0].upper() if parts else ''


def arguments_of(line):
    parts = line.split(None, 1)
    return parts[1] if len(parts) > 1 else ''


def keyword_case(line):
    return line.split(None, 1)[0]


def pick(candidates, rng):
    return rng.choice(candidates) if candidates else None


# Each mutation takes a Document and a random generator, and returns (text, line) or None.

def drop_destination(doc, rng):
    candidates = [i for k in ('COPY', 'ADD') for i in doc.instructions(k)
                  if len(arguments_of(doc.lines[i]).split()) == 2
                  and not arguments_of(doc.lines[i]).startswith(('[', '-', '<'))]
    index = pick(candidates, rng)
    if index is None:
        return None
    line = doc.lines[index]
    return doc.replaced(index, line[:line.rstrip().rfind(' ')].rstrip())


def drop_all_arguments(doc, rng):
    candidates = [i for k in ('USER', 'WORKDIR', 'EXPOSE', 'ENV', 'LABEL', 'ARG', 'VOLUME')
                  for i in doc.instructions(k)]
    index = pick(candidates, rng)
    if index is None:
        return None
    line = doc.lines[index]
    indent = line[:len(line) - len(line.lstrip())]
    return doc.replaced(index, indent + keyword_case(line.lstrip()))


FLAG_TYPOS = {'--from=': '--form=', '--chown=': '--chwon=', '--mount=': '--muont=',
              '--platform=': '--platfrom=', '--chmod=': '--chomd='}


def flag_typo(doc, rng):
    candidates = [(i, flag) for i in doc.single for flag in FLAG_TYPOS
                  if flag in doc.lines[i] and word_of(doc.lines[i]) in ('COPY', 'ADD', 'RUN', 'FROM')]
    choice = pick(candidates, rng)
    if choice is None:
        return None
    index, flag = choice
    return doc.replaced(index, doc.lines[index].replace(flag, FLAG_TYPOS[flag], 1))


def add_flag(flag, keywords):
    def mutate(doc, rng):
        candidates = [i for k in keywords for i in doc.instructions(k)]
        index = pick(candidates, rng)
        if index is None:
            return None
        line = doc.lines[index]
        keyword = keyword_case(line.lstrip())
        position = line.index(keyword) + len(keyword)
        return doc.replaced(index, line[:position] + ' ' + flag + line[position:])
    return mutate


def bad_duration(doc, rng):
    candidates = [i for i in doc.instructions('HEALTHCHECK') if re.search(r'--interval=\d+s\b', doc.lines[i])]
    index = pick(candidates, rng)
    if index is not None:
        return doc.replaced(index, re.sub(r'(--interval=\d+)s\b', r'\1', doc.lines[index], count=1))
    return insert_line('HEALTHCHECK --interval=5 CMD curl -f http://localhost/ || exit 1')(doc, rng)


def lowercase_keyword(doc, rng):
    candidates = [i for i in doc.single if keyword_case(doc.lines[i].lstrip()).isupper()
                  and word_of(doc.lines[i]) in KEYWORDS]
    index = pick(candidates, rng)
    if index is None:
        return None
    line = doc.lines[index]
    keyword = keyword_case(line.lstrip())
    return doc.replaced(index, line.replace(keyword, keyword.lower(), 1))


def single_quoted_json(doc, rng):
    candidates = [i for k in ('CMD', 'ENTRYPOINT', 'RUN') for i in doc.instructions(k)
                  if re.fullmatch(r'\s*\[\s*"[^"\'\\]*"(\s*,\s*"[^"\'\\]*")*\s*\]\s*',
                                  arguments_of(doc.lines[i].lstrip()))]
    index = pick(candidates, rng)
    if index is None:
        return None
    return doc.replaced(index, doc.lines[index].replace('"', "'"))


def prefix(text, keywords):
    def mutate(doc, rng):
        candidates = [i for k in keywords for i in doc.instructions(k)]
        index = pick(candidates, rng)
        if index is None:
            return None
        line = doc.lines[index]
        return doc.replaced(index, text + line.lstrip())
    return mutate


def expose_port(transform):
    def mutate(doc, rng):
        candidates = [i for i in doc.instructions('EXPOSE')
                      if re.fullmatch(r'\d+(/\w+)?', arguments_of(doc.lines[i].lstrip()).split()[0]
                                      if arguments_of(doc.lines[i].lstrip()) else '')]
        index = pick(candidates, rng)
        if index is None:
            return insert_line('EXPOSE ' + transform('8080'))(doc, rng)
        line = doc.lines[index]
        first = arguments_of(line.lstrip()).split()[0]
        port = first.split('/')[0]
        return doc.replaced(index, line.replace(first, transform(port), 1))
    return mutate


def bad_signal(doc, rng):
    index = pick(doc.instructions('STOPSIGNAL'), rng)
    if index is not None:
        line = doc.lines[index]
        return doc.replaced(index, keyword_case(line.lstrip()) + ' SIGFOO')
    return insert_line('STOPSIGNAL SIGFOO')(doc, rng)


def from_with_name(transform):
    def mutate(doc, rng):
        candidates = [i for i in doc.instructions('FROM')
                      if re.fullmatch(r'(--\S+\s+)*\S+\s+[Aa][Ss]\s+\S+\s*', arguments_of(doc.lines[i].lstrip()))]
        index = pick(candidates, rng)
        if index is None:
            return None
        return doc.replaced(index, transform(doc.lines[index]))
    return mutate


def from_without_name(transform):
    def mutate(doc, rng):
        candidates = [i for i in doc.instructions('FROM')
                      if re.fullmatch(r'(--\S+\s+)*[^\s$]+\s*', arguments_of(doc.lines[i].lstrip()))]
        index = pick(candidates, rng)
        if index is None:
            return None
        return doc.replaced(index, transform(doc.lines[index]))
    return mutate


def empty_tag(line):
    return re.sub(r'^(\s*\S+\s+(?:--\S+\s+)*[^\s:@$]+(?::\d+)?(?:/[^\s:@$]+)*):[^\s@]+', r'\1:', line, count=1)


def uppercase_image(line):
    return re.sub(r'^(\s*\S+\s+(?:--\S+\s+)*)([a-z])', lambda m: m.group(1) + m.group(2).upper(), line, count=1)


def multi_source_no_slash(doc, rng):
    candidates = [i for k in ('COPY', 'ADD') for i in doc.instructions(k)
                  if len(arguments_of(doc.lines[i].lstrip()).split()) == 2
                  and not arguments_of(doc.lines[i].lstrip()).startswith(('[', '-', '<'))
                  and len(arguments_of(doc.lines[i].lstrip()).split()[1]) > 2
                  and arguments_of(doc.lines[i].lstrip()).split()[1].endswith('/')
                  and not arguments_of(doc.lines[i].lstrip()).split()[1].endswith(('./', '../'))
                  and '$' not in doc.lines[i]]
    index = pick(candidates, rng)
    if index is None:
        return None
    line = doc.lines[index].rstrip()
    keyword = keyword_case(line.lstrip())
    source, destination = arguments_of(line.lstrip()).split()
    return doc.replaced(index, f'{keyword} {source} {source}.extra {destination.rstrip("/")}')


def env_value(transform):
    def mutate(doc, rng):
        candidates = [i for i in doc.instructions('ENV')
                      if re.fullmatch(r'[A-Za-z_][A-Za-z0-9_]*=[^\s"\'$\\]+', arguments_of(doc.lines[i].lstrip()).strip())]
        index = pick(candidates, rng)
        if index is None:
            return insert_line('ENV ' + transform('GREETING=hello'))(doc, rng)
        line = doc.lines[index]
        indent = line[:len(line) - len(line.lstrip())]
        keyword = keyword_case(line.lstrip())
        return doc.replaced(index, indent + keyword + ' ' + transform(arguments_of(line.lstrip()).strip()))
    return mutate


def mount_key_typo(doc, rng):
    candidates = [i for i in doc.instructions('RUN') if re.search(r'--mount=\S*target=', doc.lines[i])]
    index = pick(candidates, rng)
    if index is None:
        return insert_line('RUN --mount=type=cache,traget=/root/.cache true')(doc, rng)
    return doc.replaced(index, doc.lines[index].replace('target=', 'traget=', 1))


def keyword_typo(doc, rng):
    candidates = [i for k in ('RUN', 'COPY', 'ENV') for i in doc.instructions(k)]
    index = pick(candidates, rng)
    if index is None:
        return None
    line = doc.lines[index]
    keyword = keyword_case(line.lstrip())
    return doc.replaced(index, line.replace(keyword, keyword[0] + keyword, 1))


def relative_workdir(doc, rng):
    index = pick([i for i in doc.instructions('WORKDIR') if arguments_of(doc.lines[i].lstrip()).startswith('/')], rng)
    if index is None:
        return insert_line('WORKDIR app')(doc, rng)
    return doc.replaced(index, doc.lines[index].replace('/', '', 1))


def duplicate_instruction(keyword):
    def mutate(doc, rng):
        index = pick(doc.instructions(keyword), rng)
        if index is None:
            return None
        return doc.inserted_after(index - 1, doc.lines[index]) if index > 0 else None
    return mutate


def empty_continuation(doc, rng):
    candidates = [i for i, line in enumerate(doc.lines[:-1])
                  if line.rstrip().endswith('\\') and doc.lines[i + 1].strip()
                  and word_of(line) == 'RUN']
    index = pick(candidates, rng)
    if index is None:
        return None
    return doc.inserted_after(index, '')


def before_first_from(line):
    def mutate(doc, _rng):
        first = doc.first_from()
        if first is None:
            return None
        lines = list(doc.lines)
        lines.insert(first, line)
        return '\n'.join(lines), first
    return mutate


def insert_line(line):
    def mutate(doc, _rng):
        first = doc.first_from()
        if first is None:
            return None
        return doc.inserted_after(first, line)
    return mutate


MUTATIONS = {
    'drop_destination': drop_destination,
    'drop_all_arguments': drop_all_arguments,
    'flag_typo': flag_typo,
    'unknown_flag': add_flag('--foo=bar', ('COPY', 'RUN')),
    'flag_on_env': add_flag('--foo', ('ENV', 'WORKDIR', 'USER')),
    'bad_boolean': add_flag('--link=yes', ('COPY',)),
    'flag_missing_value': add_flag('--chown', ('COPY',)),
    'duplicate_flag': add_flag('--chown=1 --chown=2', ('COPY',)),
    'bad_network': add_flag('--network=hosts', ('RUN',)),
    'bad_duration': bad_duration,
    'duration_unit': insert_line('HEALTHCHECK --timeout=1min CMD true'),
    'negative_retries': insert_line('HEALTHCHECK --retries=-1 CMD true'),
    'healthcheck_alone': insert_line('HEALTHCHECK'),
    'healthcheck_cmd_missing': insert_line('HEALTHCHECK --interval=30s CMD'),
    'healthcheck_none_args': insert_line('HEALTHCHECK NONE curl -f localhost'),
    'healthcheck_unknown_type': insert_line('HEALTHCHECK CHECK curl -f localhost'),
    'lowercase_keyword': lowercase_keyword,
    'single_quoted_json': single_quoted_json,
    'onbuild_onbuild': prefix('ONBUILD ONBUILD ', ('RUN', 'COPY')),
    'onbuild_maintainer': insert_line('ONBUILD MAINTAINER someone'),
    'bad_protocol': expose_port(lambda port: port + '/tcpp'),
    'port_out_of_range': expose_port(lambda port: '70000'),
    'bad_signal': bad_signal,
    'as_typo': from_with_name(lambda line: re.sub(r'\s[Aa][Ss]\s', ' ASS ', line, count=1)),
    'as_missing_name': from_with_name(lambda line: re.sub(r'(\s[Aa][Ss])\s+\S+\s*$', r'\1', line)),
    'bad_stage_name': from_with_name(lambda line: re.sub(r'(\s[Aa][Ss]\s+)(\S+)', r'\g<1>1\2', line, count=1)),
    'extra_from_word': from_without_name(lambda line: line.rstrip() + ' latest'),
    'empty_tag': from_without_name(empty_tag),
    'uppercase_image': from_without_name(uppercase_image),
    'shell_not_json': insert_line('SHELL /bin/bash -o pipefail -c'),
    'multi_source_no_slash': multi_source_no_slash,
    'unterminated_quote': env_value(lambda pair: pair.replace('=', '="', 1)),
    'bad_modifier': env_value(lambda pair: pair.split('=')[0] + '=${HOME:x}'),
    'env_blank_name': env_value(lambda pair: '=' + pair.split('=', 1)[1]),
    'mount_key_typo': mount_key_typo,
    # Kinds other rules answer (existing ones, and the BuildKit checks of another branch).
    'keyword_typo': keyword_typo,
    'env_without_value': env_value(lambda pair: pair.split('=')[0]),
    'json_not_strings': insert_line('CMD ["sleep", 10]'),
    'maintainer': insert_line('MAINTAINER someone@example.com'),
    'instruction_before_from': before_first_from('RUN echo hi'),
    'relative_workdir': relative_workdir,
    'duplicate_cmd': duplicate_instruction('CMD'),
    'empty_continuation': empty_continuation,
}

CONTROLS = [
    'ADD --unpack=true https://example.com/archive.tar.gz /opt/',
    'ADD --unpack archive.tar /opt/',
    'COPY --parents ./a/b ./c/d /opt/',
    'COPY --exclude=*.md --exclude=*.txt . /opt/',
    'ADD --exclude=*.md . /opt/',
    'RUN --device=/dev/fuse true',
    'HEALTHCHECK --interval=0 --timeout=0s --start-period=0 --retries=0 CMD true',
    'STOPSIGNAL TERM',
    'STOPSIGNAL sigterm',
    'ENTRYPOINT',
    'COPY package.json package-lock.json .',
]


class Client:
    """One server, one document whose text is replaced for every version."""

    def __init__(self, argv):
        self.server = Server(argv)
        self.uri = 'file:///tmp/mutants/Dockerfile'
        self.version = 0
        self.server.request('initialize', {
            'processId': None, 'rootUri': None,
            'capabilities': {'textDocument': {'publishDiagnostics': {'versionSupport': True}}}})
        self.server.notify('initialized', {})

    def diagnostics(self, text):
        self.version += 1
        seen = self.server.publishes()
        if self.version == 1:
            self.server.notify('textDocument/didOpen', {'textDocument': {
                'uri': self.uri, 'languageId': 'dockerfile', 'version': 1, 'text': text}})
        else:
            self.server.notify('textDocument/didChange', {
                'textDocument': {'uri': self.uri, 'version': self.version},
                'contentChanges': [{'text': text}]})
        return self.server.wait_publish(self.version, after=seen) or []

    def close(self):
        self.server.close()


def on_line(diagnostics, line):
    return [d for d in diagnostics if d['range']['start']['line'] == line]


def describe(diagnostic):
    code = diagnostic.get('code')
    return f"{code}: {diagnostic['message']}"


def new_findings(before, after, line, original_line):
    """Findings on `line` of the mutant that the original did not have on its line."""
    old = {describe(d) for d in on_line(before, original_line)} if original_line is not None else set()
    return [describe(d) for d in on_line(after, line) if describe(d) not in old]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('files', nargs='+')
    parser.add_argument('--dls', required=True, help='docker-langserver command')
    parser.add_argument('--ours', required=True, help='dockerfile-ls command')
    parser.add_argument('--per-kind', type=int, default=30)
    parser.add_argument('--controls', type=int, default=20, help='files to insert each control into')
    parser.add_argument('--seed', type=int, default=15)
    parser.add_argument('--kinds', help='comma list of mutation kinds (default all)')
    parser.add_argument('--details', action='store_true')
    options = parser.parse_args()
    rng = random.Random(options.seed)
    oracle = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'shared', 'corpus', 'oracle', 'buildkit')
    files = []
    for path in sorted(options.files):
        verdict = os.path.join(oracle, os.path.basename(path) + '.json')
        if os.path.exists(verdict) and not json.load(open(verdict)).get('ok', True):
            continue  # already rejected by BuildKit's parser: not a clean starting point
        text = open(path, encoding='utf-8', errors='replace').read()
        if re.search(r'^#\s*escape\s*=', text, re.M | re.I) or '\r' in text:
            continue
        files.append((path, text))
    kinds = options.kinds.split(',') if options.kinds else list(MUTATIONS)
    command = lambda text: [os.path.expanduser(word) for word in shlex.split(text)]  # noqa: E731
    servers = {'dls': Client(command(options.dls)), 'ours': Client(command(options.ours))}
    baseline = {}

    def findings(name, path, text):
        return servers[name].diagnostics(text)

    def original(name, path, text):
        key = (name, path)
        if key not in baseline:
            baseline[key] = findings(name, path, text)
        return baseline[key]

    report = {'kinds': {}, 'controls': [], 'mutants': []}
    try:
        for kind in kinds:
            mutate = MUTATIONS[kind]
            order = list(files)
            rng.shuffle(order)
            made = 0
            counts = {'mutants': 0, 'dls': 0, 'ours': 0, 'both': 0, 'ours_only': 0}
            for path, text in order:
                if made >= options.per_kind:
                    break
                document = Document(text)
                result = mutate(document, rng)
                if result is None:
                    continue
                mutant, line = result
                if mutant == text:
                    continue
                made += 1
                replaced = len(mutant.split('\n')) == len(text.split('\n'))
                original_line = line if replaced else None
                found = {}
                for name in servers:
                    before = original(name, path, text) if replaced else []
                    after = findings(name, path, mutant)
                    found[name] = new_findings(before, after, line, original_line)
                counts['mutants'] += 1
                counts['dls'] += bool(found['dls'])
                counts['ours'] += bool(found['ours'])
                counts['both'] += bool(found['dls']) and bool(found['ours'])
                counts['ours_only'] += bool(found['ours']) and not found['dls']
                report['mutants'].append({'kind': kind, 'file': os.path.basename(path), 'line': line + 1,
                                          'text': mutant.split('\n')[line], 'dls': found['dls'],
                                          'ours': found['ours']})
            report['kinds'][kind] = counts
        # Controls go into files that build with the current frontend and have a stage: a
        # file whose `# syntax=` names an older frontend rightly rejects newer flags.
        plain = [(path, text) for path, text in files
                 if Document(text).first_from() is not None
                 and not re.search(r'^#\s*syntax\s*=', text, re.M | re.I)]
        for control in CONTROLS:
            order = list(plain)
            rng.shuffle(order)
            for path, text in order[:options.controls]:
                mutant, line = Document(text).appended(control)
                found = {name: [describe(d) for d in on_line(findings(name, path, mutant), line)]
                         for name in servers}
                report['controls'].append({'control': control, 'file': os.path.basename(path),
                                           'dls': found['dls'], 'ours': found['ours']})
    finally:
        for server in servers.values():
            server.close()
    total = {'mutants': 0, 'dls': 0, 'both': 0}
    print(f"{'kind':26} {'mutants':>7} {'dls':>5} {'ours':>5} {'both':>5} {'agree':>6}", file=sys.stderr)
    for kind, counts in report['kinds'].items():
        agree = f"{100 * counts['both'] / counts['dls']:.0f}%" if counts['dls'] else '-'
        print(f"{kind:26} {counts['mutants']:7} {counts['dls']:5} {counts['ours']:5} {counts['both']:5} {agree:>6}",
              file=sys.stderr)
        for key in total:
            total[key] += counts[key]
    share = 100 * total['both'] / total['dls'] if total['dls'] else 0
    print(f"{'all':26} {total['mutants']:7} {total['dls']:5} {'':5} {total['both']:5} {share:5.1f}%", file=sys.stderr)
    flagged = [c for c in report['controls'] if c['ours']]
    print(f"controls: {len(report['controls'])} inserted, {len(flagged)} with a finding of ours, "
          f"{sum(1 for c in report['controls'] if c['dls'])} with a docker-langserver finding", file=sys.stderr)
    for control in flagged:
        print(f"  ours on {control['control']!r} ({control['file']}): {control['ours']}", file=sys.stderr)
    report['total'] = dict(total, agreement=share)
    if not options.details:
        report['mutants'] = [m for m in report['mutants'] if m['dls'] and not m['ours']]
        report['controls'] = flagged
    json.dump(report, sys.stdout, indent=1)
    print()


if __name__ == '__main__':
    main()

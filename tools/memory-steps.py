"""The resident set of a stdio language server after each step of lspbench's sequence.

lspbench reports one peak per run. To find what makes that peak, this tool plays the same
sequence (lspbench's client capabilities, synthetic file, edit position and requests) one
step at a time and reads the server's /proc status after each: VmRSS (now), VmHWM (peak so
far), and the anonymous and file-backed parts of the resident set.

    python3 tools/memory-steps.py LINES SERVER-COMMAND...
    python3 tools/memory-steps.py 10000 target/release/dockerfile-ls

Needs Linux /proc and ../shared/tools/lspbench.py. Prints one line per step, in KiB.
Environment: MEMORY_STEPS_STDERR=FILE keeps the server's stderr (with
DOCKERFILE_LS_LOG=debug, its per-version timings); MEMORY_STEPS_HOLD=SECONDS prints the
server's pid and waits before shutting it down, to read /proc/PID/smaps at the end.
"""
import os
import sys
import tempfile
import time

from lsp_stdio import Server, lspbench

lspbench = lspbench()
lines, argv = int(sys.argv[1]), sys.argv[2:]
path = os.path.join(tempfile.mkdtemp(), f'synth-{lines}.Dockerfile')
open(path, 'w').write(lspbench.generate_synthetic(lines))
doc = lspbench.TextDoc(path, open(path).read(), 'dockerfile')
stderr = os.environ.get('MEMORY_STEPS_STDERR')
server = Server(argv, stderr=open(stderr, 'w') if stderr else None)


def show(step):
    time.sleep(0.05)  # let a worker that answered finish freeing
    fields = {}
    for line in open(f'/proc/{server.pid}/status'):
        key, _, value = line.partition(':')
        if key in ('VmRSS', 'VmHWM', 'RssAnon', 'RssFile'):
            fields[key] = int(value.split()[0])
    print(f"{step:<28} rss {fields['VmRSS']:>6}  peak {fields['VmHWM']:>6}  "
          f"anon {fields['RssAnon']:>6}  file {fields['RssFile']:>6}", flush=True)


show('spawn')
server.request('initialize', {'processId': os.getpid(), 'rootUri': None,
                              'capabilities': lspbench.client_capabilities()})
server.notify('initialized', {})
show('initialize')
server.notify('textDocument/didOpen', {'textDocument': {
    'uri': doc.uri, 'languageId': 'dockerfile', 'version': doc.version, 'text': doc.text}})
server.wait_publish(doc.version)
show('open')
target = lspbench.find_targets(doc)['edit']
line, column = target['line'], target['character']
for index in range(40):
    change = doc.replace(lspbench.pos(line, column + index), lspbench.pos(line, column + index), 'x')
    doc.version += 1
    server.notify('textDocument/didChange', {
        'textDocument': {'uri': doc.uri, 'version': doc.version}, 'contentChanges': [change]})
    server.wait_publish(doc.version)
    if index in (0, 9, 39):
        show(f'edit {index + 1}')
specs = lspbench.request_specs(doc, lspbench.find_targets(doc), server.wait_publish(doc.version))
for kind in lspbench.DEFAULT_REQUESTS:
    method, _, params, _ = specs[kind]
    for repeat in range(20):
        server.request(method, params)
        if repeat in (0, 19):
            show(f'{kind} x{repeat + 1}')
if os.environ.get('MEMORY_STEPS_HOLD'):
    print('pid', server.pid, flush=True)
    time.sleep(float(os.environ['MEMORY_STEPS_HOLD']))
server.close()

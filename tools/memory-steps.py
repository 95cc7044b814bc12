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
import json, os, subprocess, sys, tempfile, threading, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'shared', 'tools'))
import lspbench

lines, argv = int(sys.argv[1]), sys.argv[2:]
path = os.path.join(tempfile.mkdtemp(), f'synth-{lines}.Dockerfile')
open(path, 'w').write(lspbench.generate_synthetic(lines))
doc = lspbench.TextDoc(path, open(path).read(), 'dockerfile')
server = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=open(os.environ.get('MEMORY_STEPS_STDERR', os.devnull), 'w'))
condition = threading.Condition()
replies, published = {}, {}


def send(message):
    body = json.dumps(message, ensure_ascii=False).encode()
    server.stdin.write(b'Content-Length: %d\r\n\r\n' % len(body) + body)
    server.stdin.flush()


def reader():
    stream = server.stdout
    while True:
        headers = {}
        while True:
            line = stream.readline()
            if not line:
                return
            if line in (b'\r\n', b'\n'):
                if headers:
                    break
                continue
            key, value = line.decode('latin-1').split(':', 1)
            headers[key.strip().lower()] = value.strip()
        message = json.loads(stream.read(int(headers['content-length'])))
        with condition:
            if 'method' in message and 'id' in message:
                items = message.get('params', {}).get('items', [])
                send({'jsonrpc': '2.0', 'id': message['id'],
                      'result': [None] * len(items) if message['method'] == 'workspace/configuration' else None})
            elif message.get('method') == 'textDocument/publishDiagnostics':
                published[message['params'].get('version')] = message['params']['diagnostics']
            elif 'id' in message:
                replies[message['id']] = message
            condition.notify_all()


threading.Thread(target=reader, daemon=True).start()
next_id = [0]


def request(method, params):
    next_id[0] += 1
    with condition:
        send({'jsonrpc': '2.0', 'id': next_id[0], 'method': method, 'params': params})
        condition.wait_for(lambda: next_id[0] in replies, timeout=30)
    return replies.get(next_id[0])


def wait_version(version):
    with condition:
        condition.wait_for(lambda: version in published, timeout=30)


def status():
    fields = {}
    for line in open(f'/proc/{server.pid}/status'):
        key, _, value = line.partition(':')
        if key in ('VmRSS', 'VmHWM', 'RssAnon', 'RssFile'):
            fields[key] = int(value.split()[0])
    return fields


def show(step):
    time.sleep(0.05)  # let a worker that answered finish freeing
    s = status()
    print(f"{step:<28} rss {s['VmRSS']:>6}  peak {s['VmHWM']:>6}  anon {s['RssAnon']:>6}  file {s['RssFile']:>6}",
          flush=True)


show('spawn')
request('initialize', {'processId': os.getpid(), 'rootUri': None, 'capabilities': lspbench.client_capabilities()})
send({'jsonrpc': '2.0', 'method': 'initialized', 'params': {}})
show('initialize')
send({'jsonrpc': '2.0', 'method': 'textDocument/didOpen', 'params': {'textDocument': {
    'uri': doc.uri, 'languageId': 'dockerfile', 'version': doc.version, 'text': doc.text}}})
wait_version(doc.version)
show('open')
target = lspbench.find_targets(doc)
line, column = target['edit']['line'], target['edit']['character']
for index in range(40):
    change = doc.replace(lspbench.pos(line, column + index), lspbench.pos(line, column + index), 'x')
    doc.version += 1
    send({'jsonrpc': '2.0', 'method': 'textDocument/didChange', 'params': {
        'textDocument': {'uri': doc.uri, 'version': doc.version}, 'contentChanges': [change]}})
    wait_version(doc.version)
    if index in (0, 9, 39):
        show(f'edit {index + 1}')
specs = lspbench.request_specs(doc, lspbench.find_targets(doc), published[doc.version])
for kind in lspbench.DEFAULT_REQUESTS:
    method, _, params, _ = specs[kind]
    for repeat in range(20):
        request(method, params)
        if repeat in (0, 19):
            show(f'{kind} x{repeat + 1}')
if os.environ.get('MEMORY_STEPS_HOLD'):
    print('pid', server.pid, flush=True)
    time.sleep(float(os.environ['MEMORY_STEPS_HOLD']))
request('shutdown', None)
send({'jsonrpc': '2.0', 'method': 'exit'})
server.wait(timeout=10)

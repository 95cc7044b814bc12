"""The first answer after an edit, for any stdio language server.

lspbench repeats each request on an unchanged document, which a server that caches its
answers per document version (as dockerfile-ls does) answers from the cache. This tool
measures the other case: for each request kind it types one character into a RUN line of
lspbench's synthetic file, waits for that version's diagnostics, then times the request, so
every answer is computed from scratch. Same client capabilities and input as lspbench.

    python3 tools/first-answer.py LINES ROUNDS SERVER-COMMAND...
    python3 tools/first-answer.py 10000 5 target/release/dockerfile-ls

Prints the median milliseconds per request kind as JSON. Needs ../shared/tools/lspbench.py.
"""
import json, os, statistics, subprocess, sys, tempfile, threading, time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'shared', 'tools'))
import lspbench

lines, rounds, argv = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
text = lspbench.generate_synthetic(lines)
path = os.path.join(tempfile.mkdtemp(), f'synth-{lines}.Dockerfile')
open(path, 'w').write(text)
uri = 'file://' + path
p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
lock = threading.Condition()
replies, publishes = {}, {}

def reader():
    f = p.stdout
    while True:
        h = {}
        while True:
            l = f.readline()
            if not l: return
            if l in (b'\r\n', b'\n'):
                if h: break
                continue
            k, v = l.decode('latin-1').split(':', 1); h[k.strip().lower()] = v.strip()
        body = f.read(int(h['content-length'])); t = time.perf_counter()
        m = json.loads(body)
        with lock:
            if 'method' in m and 'id' in m:
                send({'jsonrpc': '2.0', 'id': m['id'], 'result': None if m['method'] != 'workspace/configuration' else [None] * len(m['params']['items'])})
            elif 'method' in m:
                if m['method'] == 'textDocument/publishDiagnostics':
                    publishes[m['params'].get('version')] = m['params']['diagnostics']
                    publishes['last'] = m['params']['diagnostics']
                    publishes['count'] = publishes.get('count', 0) + 1
            else:
                replies[m['id']] = (t, m)
            lock.notify_all()

wlock = threading.Lock()
def send(o):
    b = json.dumps(o, ensure_ascii=False).encode()
    with wlock:
        p.stdin.write(b'Content-Length: %d\r\n\r\n' % len(b) + b); p.stdin.flush()
    return time.perf_counter()

threading.Thread(target=reader, daemon=True).start()
nid = [0]
def request(method, params):
    nid[0] += 1; i = nid[0]
    t0 = send({'jsonrpc': '2.0', 'id': i, 'method': method, 'params': params})
    with lock:
        lock.wait_for(lambda: i in replies, timeout=60)
        t, m = replies.pop(i)
    return (t - t0) * 1000, m

request('initialize', {'processId': None, 'rootUri': None, 'capabilities': lspbench.client_capabilities()})
send({'jsonrpc': '2.0', 'method': 'initialized', 'params': {}})
send({'jsonrpc': '2.0', 'method': 'textDocument/didOpen', 'params': {'textDocument': {'uri': uri, 'languageId': 'dockerfile', 'version': 1, 'text': text}}})
with lock:
    lock.wait_for(lambda: 'last' in publishes, timeout=60)
doc_lines = text.split('\n')
run_line = next(i for i in range(len(doc_lines) // 2, len(doc_lines)) if doc_lines[i].startswith('RUN '))
version = [1]
def edit():
    version[0] += 1
    v = version[0]
    with lock:
        seen = publishes.get('count', 0)
    send({'jsonrpc': '2.0', 'method': 'textDocument/didChange', 'params': {'textDocument': {'uri': uri, 'version': v},
          'contentChanges': [{'range': {'start': {'line': run_line, 'character': 4}, 'end': {'line': run_line, 'character': 4}}, 'text': 'x'}]}})
    with lock:
        # A versioned publish for v, or (servers that send no version) the next publish.
        lock.wait_for(lambda: v in publishes or (None in publishes and publishes['count'] > seen), timeout=30)
    time.sleep(0.05)
n = len(doc_lines) - 1
kinds = {
    'documentSymbol': ('textDocument/documentSymbol', lambda: {'textDocument': {'uri': uri}}),
    'foldingRange': ('textDocument/foldingRange', lambda: {'textDocument': {'uri': uri}}),
    'semanticTokens': ('textDocument/semanticTokens/full', lambda: {'textDocument': {'uri': uri}}),
    'formatting': ('textDocument/formatting', lambda: {'textDocument': {'uri': uri}, 'options': {'tabSize': 4, 'insertSpaces': True}}),
    'codeAction': ('textDocument/codeAction', lambda: {'textDocument': {'uri': uri}, 'range': {'start': {'line': 0, 'character': 0}, 'end': {'line': n, 'character': 0}}, 'context': {'diagnostics': publishes['last']}}),
}
out = {}
for kind, (method, params) in kinds.items():
    samples = []
    for _ in range(rounds):
        edit()
        ms, m = request(method, params())
        if 'error' in m: samples = None; break
        samples.append(ms)
    out[kind] = round(statistics.median(samples), 2) if samples else 'error'
print(json.dumps(out))
p.kill()

#!/usr/bin/env python3
"""How much of a latency is only moving the messages?

Records, from a real server, the diagnostics it publishes for lspbench's synthetic file and
its answer to lspbench's whole-file code-action request; then runs lspbench with a stand-in
server that does no work at all (it replays those bytes) beside the real one. The stand-in's
figures are the floor any server returning the same messages pays in that client.

    python3 tools/transfer-floor.py LINES SERVER-COMMAND...
    python3 tools/transfer-floor.py 10000 target/release/dockerfile-ls

Needs ../shared/tools/lspbench.py. (`--replay DIR` is the stand-in itself.)
"""
import json, os, re, shlex, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
LSPBENCH = os.path.join(HERE, '..', '..', 'shared', 'tools', 'lspbench.py')


def replay(folder):
    diagnostics = open(os.path.join(folder, 'diagnostics.json'), 'rb').read()
    actions = open(os.path.join(folder, 'actions.json'), 'rb').read()
    incoming = sys.stdin.buffer

    def send(body):
        data = memoryview(b'Content-Length: %d\r\n\r\n' % len(body) + body)
        while data:
            data = data[os.write(1, data):]

    while True:
        length = None
        while True:
            line = incoming.readline()
            if not line:
                return
            if line == b'\r\n':
                break
            if line.lower().startswith(b'content-length'):
                length = int(line.split(b':')[1])
        body = incoming.read(length)
        # lspbench writes jsonrpc, id, method first: no need to parse the whole body.
        method = re.search(rb'"method":\s*"([^"]+)"', body[:300])
        method = method.group(1).decode() if method else None
        rid = re.search(rb'"id":\s*(\d+)', body[:300])
        rid = rid.group(1) if rid else None
        if method == 'initialize':
            send(b'{"jsonrpc":"2.0","id":%s,"result":{"capabilities":'
                 b'{"textDocumentSync":2,"codeActionProvider":true}}}' % rid)
        elif method in ('textDocument/didOpen', 'textDocument/didChange'):
            uri = re.search(rb'"uri":\s*"([^"]+)"', body).group(1)
            version = re.search(rb'"version":\s*(\d+)', body).group(1)
            send(b'{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":'
                 b'{"uri":"%s","version":%s,"diagnostics":%s}}' % (uri, version, diagnostics))
        elif method == 'textDocument/codeAction':
            send(b'{"jsonrpc":"2.0","id":%s,"result":%s}' % (rid, actions))
        elif method == 'exit':
            return
        elif rid is not None and method is not None:
            send(b'{"jsonrpc":"2.0","id":%s,"result":null}' % rid)


def record(lines, argv, folder):
    sys.path.insert(0, os.path.dirname(LSPBENCH))
    import lspbench
    text = lspbench.generate_synthetic(lines)
    path = os.path.join(folder, 'synth.Dockerfile')
    open(path, 'w').write(text)
    uri = 'file://' + path
    server = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL)

    def send(message):
        body = json.dumps(message).encode()
        server.stdin.write(b'Content-Length: %d\r\n\r\n' % len(body) + body)
        server.stdin.flush()

    def receive():
        headers = {}
        while True:
            line = server.stdout.readline()
            if line in (b'\r\n', b''):
                break
            name, value = line.decode().split(':', 1)
            headers[name.lower()] = value.strip()
        return json.loads(server.stdout.read(int(headers['content-length'])))

    send({'jsonrpc': '2.0', 'id': 1, 'method': 'initialize',
          'params': {'processId': None, 'capabilities': lspbench.client_capabilities()}})
    receive()
    send({'jsonrpc': '2.0', 'method': 'initialized', 'params': {}})
    send({'jsonrpc': '2.0', 'method': 'textDocument/didOpen', 'params': {'textDocument': {
        'uri': uri, 'languageId': 'dockerfile', 'version': 1, 'text': text}}})
    while True:
        message = receive()
        if message.get('method') == 'textDocument/publishDiagnostics':
            break
    diagnostics = message['params']['diagnostics']
    last = text.count('\n')
    send({'jsonrpc': '2.0', 'id': 2, 'method': 'textDocument/codeAction', 'params': {
        'textDocument': {'uri': uri},
        'range': {'start': {'line': 0, 'character': 0}, 'end': {'line': last, 'character': 0}},
        'context': {'diagnostics': diagnostics}}})
    while True:
        message = receive()
        if message.get('id') == 2:
            break
    server.kill()
    compact = dict(separators=(',', ':'), ensure_ascii=False)
    open(os.path.join(folder, 'diagnostics.json'), 'w').write(json.dumps(diagnostics, **compact))
    open(os.path.join(folder, 'actions.json'), 'w').write(json.dumps(message['result'], **compact))


def main():
    if sys.argv[1] == '--replay':
        return replay(sys.argv[2])
    lines, argv = int(sys.argv[1]), sys.argv[2:]
    folder = tempfile.mkdtemp()
    record(lines, argv, folder)
    stand_in = f'{shlex.quote(sys.executable)} {shlex.quote(os.path.abspath(__file__))} --replay {shlex.quote(folder)}'
    subprocess.run([sys.executable, LSPBENCH, '--server', stand_in, '--server', shlex.join(argv),
                    '--label', 'no-work', '--label', 'server', '--synth-lines', str(lines),
                    '--rounds', '3', '--warmup', '1', '--requests', 'codeAction'], check=False)


if __name__ == '__main__':
    main()

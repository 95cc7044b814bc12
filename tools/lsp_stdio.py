"""A small LSP client over a server's stdin and stdout, for the measuring tools in this folder.

It frames messages, answers the server's own requests (`workspace/configuration` with nulls,
anything else with null), keeps the replies by id and the diagnostics published per version.
Standard library only.
"""
import json
import os
import subprocess
import threading
import time


class Server:
    def __init__(self, argv, stderr=None):
        self.process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=stderr or subprocess.DEVNULL)
        self.pid = self.process.pid
        self.condition = threading.Condition()
        self.replies = {}
        # version -> diagnostics; 'last' -> the newest list; 'count' -> publishes so far
        self.published = {'count': 0}
        self.next_id = 0
        self.write_lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def send(self, message):
        """Writes one message; returns the time it was written."""
        body = json.dumps(message, ensure_ascii=False).encode()
        with self.write_lock:
            self.process.stdin.write(b'Content-Length: %d\r\n\r\n' % len(body) + body)
            self.process.stdin.flush()
        return time.perf_counter()

    def notify(self, method, params):
        self.send({'jsonrpc': '2.0', 'method': method, 'params': params})

    def request(self, method, params, timeout=60):
        """Sends a request and waits for its reply: (milliseconds, reply)."""
        with self.condition:
            self.next_id += 1
            number = self.next_id
        started = self.send({'jsonrpc': '2.0', 'id': number, 'method': method, 'params': params})
        with self.condition:
            self.condition.wait_for(lambda: number in self.replies, timeout=timeout)
            answered, reply = self.replies.pop(number, (time.perf_counter(), None))
        return (answered - started) * 1000, reply

    def publishes(self):
        with self.condition:
            return self.published['count']

    def wait_publish(self, version=None, after=0, timeout=30):
        """Waits for the diagnostics of `version`, or (servers that send no version) for any
        publish after the first `after`."""
        with self.condition:
            self.condition.wait_for(
                lambda: version in self.published
                or (None in self.published and self.published['count'] > after),
                timeout=timeout)
            return self.published.get(version, self.published.get('last'))

    def close(self):
        try:
            self.request('shutdown', None, timeout=10)
            self.notify('exit', None)
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()

    def _read(self):
        stream = self.process.stdout
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
            received = time.perf_counter()
            if 'method' in message and 'id' in message:
                items = (message.get('params') or {}).get('items', [])
                self.send({'jsonrpc': '2.0', 'id': message['id'],
                           'result': [None] * len(items)
                           if message['method'] == 'workspace/configuration' else None})
                continue
            with self.condition:
                if message.get('method') == 'textDocument/publishDiagnostics':
                    params = message['params']
                    self.published[params.get('version')] = params['diagnostics']
                    self.published['last'] = params['diagnostics']
                    self.published['count'] += 1
                elif 'id' in message:
                    self.replies[message['id']] = (received, message)
                self.condition.notify_all()


def lspbench():
    """The lspbench module from ../shared/tools (its generator, capabilities and targets)."""
    import sys
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'shared', 'tools'))
    import lspbench as module
    return module

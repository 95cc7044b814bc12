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
import json
import os
import statistics
import sys
import tempfile
import time

from lsp_stdio import Server, lspbench

lspbench = lspbench()
lines, rounds, argv = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
text = lspbench.generate_synthetic(lines)
path = os.path.join(tempfile.mkdtemp(), f'synth-{lines}.Dockerfile')
open(path, 'w').write(text)
uri = 'file://' + path
server = Server(argv)
server.request('initialize', {'processId': None, 'rootUri': None,
                              'capabilities': lspbench.client_capabilities()})
server.notify('initialized', {})
server.notify('textDocument/didOpen', {'textDocument': {
    'uri': uri, 'languageId': 'dockerfile', 'version': 1, 'text': text}})
server.wait_publish(1)
doc_lines = text.split('\n')
run_line = next(i for i in range(len(doc_lines) // 2, len(doc_lines)) if doc_lines[i].startswith('RUN '))
version = [1]


def edit():
    version[0] += 1
    seen = server.publishes()
    server.notify('textDocument/didChange', {
        'textDocument': {'uri': uri, 'version': version[0]},
        'contentChanges': [{'range': {'start': {'line': run_line, 'character': 4},
                                      'end': {'line': run_line, 'character': 4}}, 'text': 'x'}]})
    latest = server.wait_publish(version[0], after=seen)
    time.sleep(0.05)
    return latest


whole = {'start': {'line': 0, 'character': 0}, 'end': {'line': len(doc_lines) - 1, 'character': 0}}
kinds = {
    'documentSymbol': ('textDocument/documentSymbol', lambda _: {'textDocument': {'uri': uri}}),
    'foldingRange': ('textDocument/foldingRange', lambda _: {'textDocument': {'uri': uri}}),
    'semanticTokens': ('textDocument/semanticTokens/full', lambda _: {'textDocument': {'uri': uri}}),
    'formatting': ('textDocument/formatting',
                   lambda _: {'textDocument': {'uri': uri}, 'options': {'tabSize': 4, 'insertSpaces': True}}),
    'codeAction': ('textDocument/codeAction',
                   lambda diagnostics: {'textDocument': {'uri': uri}, 'range': whole,
                                        'context': {'diagnostics': diagnostics}}),
}
out = {}
for kind, (method, params) in kinds.items():
    samples = []
    for _ in range(rounds):
        diagnostics = edit()
        milliseconds, reply = server.request(method, params(diagnostics))
        if reply is None or 'error' in reply:
            samples = None
            break
        samples.append(milliseconds)
    out[kind] = round(statistics.median(samples), 2) if samples else 'error'
print(json.dumps(out))
server.process.kill()

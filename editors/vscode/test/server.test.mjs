// The server lookup order of the extension (src/server.ts, bundled by `npm run build:test`):
// dockerfileLs.server.path, then the bundled binary, then PATH, else a message naming the setting.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { SETTING, bundledPath, findServer } from '../dist/test/server.mjs';

function executable(file) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '#!/bin/sh\n');
  fs.chmodSync(file, 0o755);
  return file;
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dls-lookup-'));
const extension = path.join(root, 'extension');
const pathDirectory = path.join(root, 'bin');
const fromPath = executable(path.join(pathDirectory, 'dockerfile-ls'));
const custom = executable(path.join(root, 'custom', 'my-dockerfile-ls'));
const pathVariable = `/nonexistent:${pathDirectory}`;
fs.mkdirSync(extension, { recursive: true });
process.on('exit', () => fs.rmSync(root, { recursive: true, force: true }));

test('PATH is used when nothing else is there', () => {
  const found = findServer({ setting: '', extensionPath: extension, pathVariable });
  assert.deepEqual(found, { ok: true, server: { command: fromPath, source: 'PATH' } });
});

test('the bundled binary wins over PATH', () => {
  const bundled = executable(bundledPath(extension));
  try {
    const found = findServer({ setting: undefined, extensionPath: extension, pathVariable });
    assert.deepEqual(found, { ok: true, server: { command: bundled, source: 'bundled' } });
  } finally {
    fs.rmSync(path.dirname(bundled), { recursive: true });
  }
});

test('the setting wins over both, with ~ and relative paths and bare names', () => {
  executable(bundledPath(extension));
  try {
    assert.deepEqual(findServer({ setting: custom, extensionPath: extension, pathVariable }),
      { ok: true, server: { command: custom, source: 'setting' } });
    assert.deepEqual(findServer({ setting: '~/custom/my-dockerfile-ls', home: root, extensionPath: extension, pathVariable }),
      { ok: true, server: { command: custom, source: 'setting' } });
    assert.deepEqual(findServer({ setting: 'custom/my-dockerfile-ls', workspaceFolder: root, extensionPath: extension, pathVariable }),
      { ok: true, server: { command: custom, source: 'setting' } });
    assert.deepEqual(findServer({ setting: 'dockerfile-ls', extensionPath: extension, pathVariable }),
      { ok: true, server: { command: fromPath, source: 'setting' } });
  } finally {
    fs.rmSync(path.join(extension, 'server'), { recursive: true });
  }
});

test('a setting that points nowhere is an error naming the setting, not a fallback', () => {
  const found = findServer({ setting: '/nonexistent/dockerfile-ls', extensionPath: extension, pathVariable });
  assert.equal(found.ok, false);
  assert.match(found.message, new RegExp(SETTING.replace(/\./g, '\\.')));
  assert.match(found.message, /\/nonexistent\/dockerfile-ls/);
});

test('a file that is not executable is not a server', () => {
  const plain = path.join(root, 'plain', 'dockerfile-ls');
  fs.mkdirSync(path.dirname(plain), { recursive: true });
  fs.writeFileSync(plain, '');
  const found = findServer({ setting: '', extensionPath: extension, pathVariable: path.dirname(plain) });
  assert.equal(found.ok, false);
});

test('nothing found: the message says to install the server or set the setting', () => {
  const found = findServer({ setting: '', extensionPath: extension, pathVariable: '/nonexistent' });
  assert.equal(found.ok, false);
  assert.match(found.message, /dockerfileLs\.server\.path/);
  assert.match(found.message, /PATH/);
});

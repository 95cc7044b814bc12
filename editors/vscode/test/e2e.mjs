#!/usr/bin/env node
// The VS Code editor test: real VS Code (code-server: the VS Code server, its Node extension host
// and the workbench) in headless Chromium driven by playwright-core, with the built .vsix
// installed. vscode-languageclient in the extension host starts dockerfile-ls over stdio, as for
// a desktop user.
//
//   CODE_SERVER=/opt/dockerfile-ls-editors/bin/code-server DOCKERFILE_LS=target/debug/dockerfile-ls \
//     node editors/vscode/test/e2e.mjs --out target/editors/vscode
//
// Environment: CODE_SERVER, DOCKERFILE_LS (required), VSIX (default ../dist/dockerfile-ls.vsix),
// CHROMIUM (default /usr/bin/chromium), DLS_TIMEOUT_MS (per step, default 30000), DLS_KEEP=1 to
// keep the work folder. Writes result.json, screenshots, code-server's and the extension's logs
// to --out. Exit status 0 when every check passed.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CODE_SERVER = process.env.CODE_SERVER;
const SERVER = process.env.DOCKERFILE_LS && path.resolve(process.env.DOCKERFILE_LS);
const VSIX = path.resolve(process.env.VSIX ?? path.join(HERE, '..', 'dist', 'dockerfile-ls.vsix'));
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const STEP_MS = Number(process.env.DLS_TIMEOUT_MS ?? '30000');
const FIXTURE = path.join(HERE, '..', '..', 'testdata', 'Dockerfile');
const EXTENSION_ID = 'dockerfile-ls.dockerfile-ls';

// What the fixture makes the server say (1-based lines, as VS Code shows them).
const MAINTAINER_LINE = 5;
const MAINTAINER_MESSAGE = 'MAINTAINER is deprecated';
const FIX_TITLE = 'Replace with the org.opencontainers.image.authors label';
const FIXED_LINE = 'LABEL org.opencontainers.image.authors="张伟 🐳 <zhang.wei@example.com>"';
const REFERENCE_LINE = 7;
const REFERENCE_MESSAGE = 'No stage named "nowhere"';
const RESERVED_MESSAGE = 'is reserved';
const HOVER_EXPECT = 'Copy from a build stage';
const MISSING_SERVER = '/nonexistent/dockerfile-ls';

const outIndex = process.argv.indexOf('--out');
const OUT = path.resolve(outIndex > 0 ? process.argv[outIndex + 1] : fs.mkdtempSync(path.join(os.tmpdir(), 'dls-vscode-out-')));
fs.mkdirSync(OUT, { recursive: true });

const results = { checks: [], ok: true };
const T0 = Date.now();
function check(name, ok, detail = '') {
  const seconds = ((Date.now() - T0) / 1000).toFixed(1);
  results.checks.push({ name, ok: !!ok, detail, seconds });
  if (!ok) results.ok = false;
  const text = typeof detail === 'string' ? detail : JSON.stringify(detail);
  process.stderr.write(`[${ok ? 'PASS' : 'FAIL'}] ${seconds.padStart(5)} s ${name} ${text.replace(/\n/g, ' ').slice(0, 160)}\n`);
  return !!ok;
}
// Once a check failed, later waits are short, so a broken run ends soon.
const stepMs = () => (results.ok ? STEP_MS : 3000);
const appeared = (locator, options = {}) =>
  locator.first().waitFor({ timeout: stepMs(), ...options }).then(() => true, () => false);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function userSettings(serverPath) {
  return JSON.stringify({
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.colorTheme': 'Default Dark Modern',
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'update.mode': 'none',
    'chat.disableAIFeatures': true,
    'editor.hover.delay': 100,
    'editor.fontSize': 15,
    'files.autoSave': 'off',
    'dockerfileLs.server.path': serverPath,
    'dockerfileLs.trace.server': 'messages',
    // Server settings: the stage reference becomes a warning, the reserved name is skipped.
    'dockerfileLs.rules': { InvalidStageReference: 'warning' },
    'dockerfileLs.ignore': ['ReservedStageName'],
    // As the README suggests: the server's fix-all action on save.
    '[dockerfile]': { 'editor.codeActionsOnSave': { 'source.fixAll.dockerfile-ls': 'explicit' } },
  }, null, 2);
}

async function main() {
  if (!CODE_SERVER || !SERVER) {
    throw new Error('set CODE_SERVER to code-server and DOCKERFILE_LS to the server binary');
  }
  const started = Date.now();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dls-vscode-'));
  const workspace = path.join(work, 'ws');
  const userData = path.join(work, 'user-data');
  const extensions = path.join(work, 'extensions');
  const settingsFile = path.join(userData, 'User', 'settings.json');
  fs.mkdirSync(workspace);
  fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
  fs.mkdirSync(extensions);
  const dockerfile = path.join(workspace, 'Dockerfile');
  fs.copyFileSync(FIXTURE, dockerfile);
  // First a server path that does not exist: the extension must say which setting to fix.
  fs.writeFileSync(settingsFile, userSettings(MISSING_SERVER));
  const environment = {
    ...process.env,
    XDG_CONFIG_HOME: path.join(work, 'xdg-config'),
    XDG_DATA_HOME: path.join(work, 'xdg-data'),
  };
  const common = ['--user-data-dir', userData, '--extensions-dir', extensions];

  // 1. Install the .vsix with VS Code's own extension manager.
  const installStart = Date.now();
  execFileSync(CODE_SERVER, [...common, '--install-extension', VSIX, '--force'],
    { env: environment, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const listed = execFileSync(CODE_SERVER, [...common, '--list-extensions', '--show-versions'],
    { env: environment, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  check('vsix_installed', listed.includes(`${EXTENSION_ID}@`), `${listed.trim()} (${Date.now() - installStart} ms)`);
  results.code_server = execFileSync(CODE_SERVER, ['--version'], { env: environment, encoding: 'utf8' }).trim().split('\n').pop();

  // 2. code-server in its own process group, so everything it starts goes with it.
  const port = await freePort();
  const codeServer = spawn(CODE_SERVER, [...common, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--ignore-last-opened', workspace],
  { env: environment, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const codeServerLog = fs.createWriteStream(path.join(OUT, 'code-server.log'));
  codeServer.stdout.pipe(codeServerLog);
  codeServer.stderr.pipe(codeServerLog);
  const stopCodeServer = () => {
    try { process.kill(-codeServer.pid, 'SIGKILL'); } catch { /* already gone */ }
  };
  process.on('exit', stopCodeServer);
  // Never hang CI.
  const watchdog = setTimeout(() => {
    check('watchdog', false, 'overall timeout');
    fs.writeFileSync(path.join(OUT, 'result.json'), JSON.stringify(results, null, 2));
    process.exit(3);
  }, STEP_MS * 10);

  let browser;
  try {
    const up = Date.now();
    for (;;) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (response.ok) break;
      } catch { /* not yet */ }
      if (Date.now() - up > 60000) throw new Error('code-server did not come up in 60 s');
      await sleep(100);
    }

    // 3. The workbench in headless Chromium; open the Dockerfile from the Explorer.
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
      // The background-networking flags keep Chromium from dialling out on a closed network.
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-quic',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const consoleErrors = [];
    page.on('console', (message) => { if (message.type() === 'error') consoleErrors.push(message.text()); });
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
    await page.waitForSelector('.monaco-workbench', { timeout: 90000 });
    await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 90000 });
    check('workbench_loaded', true, `${Date.now() - up} ms`);
    const editorLines = page.locator('.editor-instance .monaco-editor .view-lines');
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'Dockerfile' }).first().dblclick();
    check('editor_opened', await appeared(editorLines.filter({ hasText: 'alpine' })));
    const mode = page.locator('.statusbar-item[id="status.editor.mode"]');
    await appeared(mode.filter({ hasText: /docker/i }));
    results.language_mode = (await mode.innerText().catch(() => '')).trim();
    check('language_mode', /docker/i.test(results.language_mode), results.language_mode);

    // 4. The server path points nowhere: an error notification names the setting.
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'dockerfileLs.server.path' });
    const gotToast = await appeared(toast);
    results.missing_server_message = gotToast ? (await toast.first().innerText()).replace(/\s+/g, ' ').trim() : '';
    check('missing_server_error', gotToast && results.missing_server_message.includes(MISSING_SERVER), results.missing_server_message);
    await page.screenshot({ path: path.join(OUT, '1-missing-server.png') });

    // The user follows the notification's "Open Settings" to the setting and types the right path;
    // the extension restarts the server by itself.
    const openSettings = toast.first().locator('.monaco-button', { hasText: 'Open Settings' });
    if (gotToast && await appeared(openSettings)) {
      await openSettings.first().click();
    }
    // code-server is a remote window: a machine-overridable setting lives under the Remote tab.
    const remoteTab = page.locator('.settings-editor .settings-tabs-widget .action-label', { hasText: 'Remote' });
    if (await appeared(remoteTab)) {
      await remoteTab.first().click();
    }
    const pathInput = page.locator('.settings-editor .setting-item-contents', { hasText: 'Server: Path' }).locator('input');
    const gotSetting = await appeared(pathInput);
    check('settings_editor_shows_setting', gotSetting, 'Open Settings -> dockerfileLs.server.path');
    if (gotSetting) {
      await pathInput.first().fill(SERVER);
      await pathInput.first().press('Enter');
    } else {
      fs.writeFileSync(settingsFile, userSettings(SERVER));
    }
    await page.screenshot({ path: path.join(OUT, '2-settings.png') });
    // Close the Settings editor, back to the Dockerfile.
    const settingsTab = page.locator('.tabs-container .tab', { hasText: 'Settings' });
    if (await settingsTab.count() > 0) {
      await settingsTab.first().hover();
      await settingsTab.first().locator('.codicon-close').click().catch(() => {});
    }
    await page.locator('.tabs-container .tab', { hasText: 'Dockerfile' }).first().click();

    // 5. Diagnostics: squiggles, then the Problems panel with the settings applied.
    const squiggles = page.locator('.editor-instance .monaco-editor').locator('.squiggly-warning, .squiggly-error, .squiggly-info');
    check('squiggles', await appeared(squiggles), `${await squiggles.count()} squiggles`);
    await page.keyboard.press('Control+Shift+M');
    const rows = page.locator('.markers-panel .monaco-list-row');
    const maintainerRow = rows.filter({ hasText: MAINTAINER_MESSAGE });
    const referenceRow = rows.filter({ hasText: REFERENCE_MESSAGE });
    const gotRows = await appeared(maintainerRow) && await appeared(referenceRow);
    results.problems = (await rows.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
    check('problems_panel', gotRows, results.problems.join(' | '));
    // VS Code counts columns in UTF-16 code units: the stage name sits after CJK and an emoji.
    const referenceText = fs.readFileSync(FIXTURE, 'utf8').split('\n')[REFERENCE_LINE - 1];
    const column = referenceText.indexOf('nowhere') + 1;
    const position = `[Ln ${REFERENCE_LINE}, Col ${column}]`;
    check('utf16_position', results.problems.some((row) => row.includes(REFERENCE_MESSAGE) && row.includes(position)), position);
    const referenceWarning = await referenceRow.first().locator('.codicon-warning').count() > 0;
    check('setting_rules_applied', referenceWarning, 'InvalidStageReference shown as a warning');
    check('setting_ignore_applied', gotRows && !results.problems.some((row) => row.includes(RESERVED_MESSAGE)), 'no ReservedStageName');
    await page.screenshot({ path: path.join(OUT, '3-problems.png') });

    const gotoPosition = async (line, character) => {
      await page.keyboard.press('Control+G');
      await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
      await page.keyboard.type(character ? `${line}:${character}` : String(line));
      await page.keyboard.press('Enter');
      await page.waitForSelector('.quick-input-widget', { state: 'hidden' });
    };
    await editorLines.first().click();

    // 6. Hover (Ctrl+K Ctrl+I) on the last letter of `--from=nowhere`.
    await gotoPosition(REFERENCE_LINE, column + 6);
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    const hover = page.locator('.monaco-hover:not(.hidden)').filter({ hasText: HOVER_EXPECT });
    const gotHover = await appeared(hover);
    results.hover = gotHover ? (await hover.first().innerText()).trim() : '';
    check('hover_widget', gotHover, results.hover);
    await page.screenshot({ path: path.join(OUT, '4-hover.png') });
    await page.keyboard.press('Escape');

    // 7. Quick Fix (Ctrl+.): pick the item with the keyboard, as a user does, and apply it.
    await gotoPosition(MAINTAINER_LINE, 1);
    await page.keyboard.press('Control+.');
    const items = page.locator('.action-widget .monaco-list-row');
    const gotMenu = await appeared(items.filter({ hasText: FIX_TITLE }));
    results.quick_fixes = (await items.allInnerTexts()).map((text) => text.trim());
    check('quick_fix_menu', gotMenu, results.quick_fixes.join(' | '));
    await page.screenshot({ path: path.join(OUT, '5-quick-fix.png') });
    if (gotMenu) {
      for (let i = 0; i < 10; i++) {
        const focused = await page.locator('.action-widget .monaco-list-row.focused').getAttribute('aria-label').catch(() => '');
        if (focused && focused.includes(FIX_TITLE)) break;
        await page.keyboard.press('ArrowDown');
      }
      await page.keyboard.press('Enter');
      check('quick_fix_applied', await appeared(editorLines.filter({ hasText: FIXED_LINE })), FIXED_LINE);
      check('diagnostic_cleared', await appeared(maintainerRow, { state: 'detached' }), MAINTAINER_MESSAGE);
      check('other_diagnostic_kept', await referenceRow.count() > 0, REFERENCE_MESSAGE);
      await page.keyboard.press('Control+S');
      const end = Date.now() + stepMs();
      let lines = [];
      while (Date.now() < end) {
        lines = fs.readFileSync(dockerfile, 'utf8').split('\n');
        if (lines[MAINTAINER_LINE - 1] === FIXED_LINE) break;
        await sleep(100);
      }
      check('saved_to_disk', lines[MAINTAINER_LINE - 1] === FIXED_LINE && lines.length === 10, lines[MAINTAINER_LINE - 1]);
      await page.screenshot({ path: path.join(OUT, '6-fixed.png') });

      // Fix all on save: a new MAINTAINER line is rewritten by source.fixAll.dockerfile-ls.
      await page.keyboard.press('Control+End');
      await page.keyboard.type('MAINTAINER fix.all@example.com');
      await appeared(maintainerRow);
      await page.keyboard.press('Control+S');
      const wanted = 'LABEL org.opencontainers.image.authors="fix.all@example.com"';
      const saveEnd = Date.now() + stepMs();
      let last = '';
      while (Date.now() < saveEnd) {
        last = fs.readFileSync(dockerfile, 'utf8').trimEnd().split('\n').pop();
        if (last === wanted) break;
        await sleep(100);
      }
      check('fix_all_on_save', last === wanted, last);
    }

    // 8. The restart command from the Command Palette.
    await page.keyboard.press('F1');
    await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
    await page.keyboard.type('dockerfile-ls: Restart Server');
    const command = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'dockerfile-ls: Restart Server' });
    check('restart_command_listed', await appeared(command));
    await page.keyboard.press('Enter');
    const restarted = () => extensionLog(userData).includes('after the restart command');
    const logEnd = Date.now() + stepMs();
    while (Date.now() < logEnd && !restarted()) await sleep(200);
    check('restart_command_ran', restarted(), 'output channel: "starting ... after the restart command"');
    check('server_running_again', await appeared(referenceRow), REFERENCE_MESSAGE);

    // 9. The output channel: every start, the reason, and the trace of dockerfileLs.trace.server.
    const log = extensionLog(userData);
    fs.writeFileSync(path.join(OUT, 'dockerfile-ls-output.log'), log);
    const starts = log.split('\n').filter((line) => line.includes(`starting ${SERVER}`));
    check('output_channel_starts', starts.length === 2 && starts[0].includes(`${'dockerfileLs.server.path'}`),
      starts.map((line) => line.replace(/^.*starting/, 'starting')));
    check('output_channel_missing_server', log.includes(MISSING_SERVER), MISSING_SERVER);
    check('trace_server_messages', /Sending request 'initialize/.test(log), "trace: Sending request 'initialize'");
    results.console_errors = consoleErrors.slice(0, 20);
  } catch (error) {
    check('exception', false, String(error && error.stack || error));
  } finally {
    clearTimeout(watchdog);
    if (browser) await browser.close().catch(() => {});
    stopCodeServer();
    await sleep(300);
    // VS Code's own logs (extension host, server output channel) beside the screenshots.
    try {
      fs.cpSync(path.join(userData, 'logs'), path.join(OUT, 'logs'), { recursive: true });
    } catch { /* no logs */ }
    results.elapsed_s = (Date.now() - started) / 1000;
    fs.writeFileSync(path.join(OUT, 'result.json'), JSON.stringify(results, null, 2));
    if (process.env.DLS_KEEP) {
      process.stderr.write(`work folder kept: ${work}\n`);
    } else {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }
}

/** The text of the extension's output channels (log files VS Code writes). */
function extensionLog(userData) {
  const found = [];
  const walk = (directory) => {
    for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) walk(full);
      else if ((full.includes(EXTENSION_ID) || entry.name.includes('dockerfile-ls')) && entry.name.endsWith('.log')) found.push(full);
    }
  };
  try { walk(path.join(userData, 'logs')); } catch { /* no logs yet */ }
  return found.map((file) => fs.readFileSync(file, 'utf8')).join('\n');
}

main().then(
  () => {
    process.stdout.write(`${JSON.stringify({ ok: results.ok, code_server: results.code_server, elapsed_s: results.elapsed_s, out: OUT })}\n`);
    process.exit(results.ok ? 0 : 1);
  },
  (error) => {
    process.stderr.write(`${error && error.stack || error}\n`);
    process.exit(2);
  },
);

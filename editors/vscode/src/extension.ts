// The VS Code client of dockerfile-ls: finds the server, starts it over stdio for Dockerfiles,
// and restarts it on request or when its path changes.
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';

import { SETTING, findServer } from './server';

const SECTION = 'dockerfileLs';

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel;
let trace: vscode.LogOutputChannel;
let context: vscode.ExtensionContext;
// Restarts run one after another, never two at once.
let pending: Promise<void> = Promise.resolve();

export async function activate(extensionContext: vscode.ExtensionContext): Promise<void> {
  context = extensionContext;
  output = vscode.window.createOutputChannel('dockerfile-ls', { log: true });
  const traceChanged = new vscode.EventEmitter<vscode.LogLevel>();
  trace = traceChannel(output, traceChanged.event);
  context.subscriptions.push(
    output,
    traceChanged,
    output.onDidChangeLogLevel(() => traceChanged.fire(trace.logLevel)),
    vscode.commands.registerCommand('dockerfileLs.restartServer', () => restart('the restart command')),
    vscode.commands.registerCommand('dockerfileLs.showOutput', () => output.show(true)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(SETTING)) {
        void restart(`a change of ${SETTING}`);
      }
      if (event.affectsConfiguration(`${SECTION}.trace.server`)) {
        traceChanged.fire(trace.logLevel);
      }
    }),
  );
  await restart('activation');
}

export async function deactivate(): Promise<void> {
  await stop();
}

function restart(reason: string): Promise<void> {
  pending = pending.then(async () => {
    await stop();
    await start(reason);
  });
  return pending;
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (!running) {
    return;
  }
  try {
    await running.stop();
  } catch (error) {
    output.warn(`stopping the server: ${String(error)}`);
  }
  await running.dispose();
}

async function start(reason: string): Promise<void> {
  const configuration = vscode.workspace.getConfiguration(SECTION);
  const lookup = findServer({
    setting: configuration.get<string>('server.path', ''),
    extensionPath: context.extensionPath,
    pathVariable: process.env.PATH,
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
  });
  if (!lookup.ok) {
    output.error(lookup.message);
    void vscode.window.showErrorMessage(lookup.message, 'Open Settings', 'Show Output').then((choice) => {
      if (choice === 'Open Settings') {
        void vscode.commands.executeCommand('workbench.action.openSettings', SETTING);
      } else if (choice === 'Show Output') {
        output.show(true);
      }
    });
    return;
  }
  const { command, source } = lookup.server;
  output.info(`starting ${command} (from ${source}) after ${reason}`);
  // No `transport` here: with TransportKind.stdio the client would append --stdio to the arguments.
  const serverOptions: ServerOptions = { command, args: [] };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'dockerfile' },
      { scheme: 'untitled', language: 'dockerfile' },
    ],
    // The first diagnostics already follow the settings; later changes arrive as
    // workspace/didChangeConfiguration, and the server asks with workspace/configuration.
    initializationOptions: { [SECTION]: serverSettings(configuration) },
    synchronize: { configurationSection: SECTION },
    outputChannel: output,
    traceOutputChannel: trace,
  };
  // The id `dockerfileLs` makes the client read `dockerfileLs.trace.server`.
  const started = new LanguageClient('dockerfileLs', 'dockerfile-ls', serverOptions, clientOptions);
  client = started;
  try {
    await started.start();
    output.info(`server ${started.initializeResult?.serverInfo?.name ?? '?'} ` +
      `${started.initializeResult?.serverInfo?.version ?? ''} is running`);
  } catch (error) {
    output.error(`the server did not start: ${String(error)}`);
    void vscode.window.showErrorMessage(
      `dockerfile-ls: the server at ${command} did not start (${String(error)}). Check ${SETTING}.`,
    );
  }
}

/** The settings the server reads (lsp/settings.rs KEYS); the client-only ones stay here. */
function serverSettings(configuration: vscode.WorkspaceConfiguration): Record<string, unknown> {
  return {
    rules: configuration.get('rules', {}),
    ignore: configuration.get('ignore', []),
    targetStages: configuration.get('targetStages', []),
  };
}

/**
 * The channel the client traces to. vscode-languageclient 11 traces only when its channel's log
 * level is Trace, and then writes at that level, which a channel at the default level (Info)
 * hides: `dockerfileLs.trace.server` alone would do nothing. This view of the output channel
 * reports Trace while the setting is on and writes the trace lines at Info, so they show.
 */
function traceChannel(channel: vscode.LogOutputChannel, onDidChangeLogLevel: vscode.Event<vscode.LogLevel>): vscode.LogOutputChannel {
  const tracing = () => vscode.workspace.getConfiguration(SECTION).get<string>('trace.server', 'off') !== 'off';
  return {
    get name() {
      return channel.name;
    },
    get logLevel() {
      return tracing() ? vscode.LogLevel.Trace : channel.logLevel;
    },
    onDidChangeLogLevel,
    trace: (message, ...args) => (tracing() ? channel.info(message, ...args) : channel.trace(message, ...args)),
    debug: (message, ...args) => channel.debug(message, ...args),
    info: (message, ...args) => channel.info(message, ...args),
    warn: (message, ...args) => channel.warn(message, ...args),
    error: (error, ...args) => channel.error(error, ...args),
    append: (value) => channel.append(value),
    appendLine: (value) => channel.appendLine(value),
    replace: (value) => channel.replace(value),
    clear: () => channel.clear(),
    show: ((first?: boolean | vscode.ViewColumn, preserveFocus?: boolean) =>
      channel.show(typeof first === 'boolean' ? first : preserveFocus)) as vscode.LogOutputChannel['show'],
    hide: () => channel.hide(),
    dispose: () => undefined, // the channel itself is disposed with the extension
  };
}

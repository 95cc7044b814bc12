// Where the dockerfile-ls executable is: the setting, then the binary bundled in the extension,
// then PATH. No vscode import, so the lookup is tested on its own (test/server.test.mjs).
import * as fs from 'node:fs';
import * as path from 'node:path';

export const SETTING = 'dockerfileLs.server.path';

export type ServerSource = 'setting' | 'bundled' | 'PATH';

export interface FoundServer {
  command: string;
  source: ServerSource;
}

export type Lookup =
  | { ok: true; server: FoundServer }
  | { ok: false; message: string };

function executableName(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'dockerfile-ls.exe' : 'dockerfile-ls';
}

function isExecutable(file: string, platform: NodeJS.Platform): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    if (platform !== 'win32') {
      fs.accessSync(file, fs.constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

/** The bundled server's place inside the extension folder. */
export function bundledPath(extensionPath: string, platform: NodeJS.Platform = process.platform): string {
  return path.join(extensionPath, 'server', executableName(platform));
}

/** The executable `name` (default `dockerfile-ls`) in one of the PATH directories, if any. */
export function onPath(
  pathVariable: string | undefined,
  platform: NodeJS.Platform = process.platform,
  name: string = executableName(platform),
): string | undefined {
  const separator = platform === 'win32' ? ';' : ':';
  for (const directory of (pathVariable ?? '').split(separator)) {
    if (!directory) {
      continue;
    }
    const candidate = path.join(directory, name);
    if (isExecutable(candidate, platform)) {
      return candidate;
    }
  }
  return undefined;
}

export interface LookupInput {
  /** The value of dockerfileLs.server.path ('' when unset). */
  setting: string | undefined;
  extensionPath: string;
  pathVariable: string | undefined;
  platform?: NodeJS.Platform;
  /** For `~` in the setting. */
  home?: string;
  /** A relative path in the setting is taken from here (the first workspace folder). */
  workspaceFolder?: string;
}

/** Finds the server; when there is none, a message for the user that names the setting. */
export function findServer(input: LookupInput): Lookup {
  const platform = input.platform ?? process.platform;
  const setting = (input.setting ?? '').trim();
  if (setting) {
    const home = input.home ?? process.env.HOME ?? '';
    const expanded = setting === '~' || setting.startsWith('~/') ? path.join(home, setting.slice(1)) : setting;
    // A bare name is looked up on PATH, as a shell would.
    const bare = !expanded.includes('/') && !expanded.includes('\\');
    const command = bare
      ? onPath(input.pathVariable, platform, expanded)
      : path.resolve(input.workspaceFolder ?? process.cwd(), expanded);
    if (command && isExecutable(command, platform)) {
      return { ok: true, server: { command, source: 'setting' } };
    }
    return {
      ok: false,
      message: `dockerfile-ls: the setting ${SETTING} is "${setting}", which is not an executable file. ` +
        `Fix ${SETTING} or clear it to use the bundled server or dockerfile-ls from PATH.`,
    };
  }
  const bundled = bundledPath(input.extensionPath, platform);
  if (isExecutable(bundled, platform)) {
    return { ok: true, server: { command: bundled, source: 'bundled' } };
  }
  const found = onPath(input.pathVariable, platform);
  if (found) {
    return { ok: true, server: { command: found, source: 'PATH' } };
  }
  return {
    ok: false,
    message: `dockerfile-ls: cannot find the server. Install it (cargo install --path server) so that ` +
      `dockerfile-ls is on PATH, or set ${SETTING} to its full path.`,
  };
}

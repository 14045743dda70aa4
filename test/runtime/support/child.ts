// Runs small Node scripts against the runtime in a separate process (Node 20 cannot run .ts: the runtime sources
// are transpiled once into a temporary directory that links to this repository's node_modules).
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
let dir: string | undefined;

/** Directory holding the runtime transpiled to JavaScript, by layer folder (import './runtime/index.js' from scripts written there). Built once per process. */
export function runtimeJsDir(): string {
  if (dir) return dir;
  const d = mkdtempSync(join(tmpdir(), 'nlgen-rt-'));
  chmodSync(d, 0o755); // scripts may run as an unprivileged user
  // The runtime's layer folders, as they are (dist/ is a build, not sources).
  const copy = (from: string, to: string): void => {
    mkdirSync(to, { recursive: true });
    for (const e of readdirSync(from, { withFileTypes: true })) {
      if (e.isDirectory() && e.name !== 'dist') copy(join(from, e.name), join(to, e.name));
      if (!e.isFile() || !e.name.endsWith('.ts')) continue;
      const out = ts.transpileModule(readFileSync(join(from, e.name), 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      });
      writeFileSync(join(to, e.name.replace(/\.ts$/, '.js')), out.outputText);
    }
  };
  copy(join(repo, 'runtime'), join(d, 'runtime'));
  writeFileSync(join(d, 'package.json'), '{"type":"module"}');
  symlinkSync(join(repo, 'node_modules'), join(d, 'node_modules'));
  process.on('exit', () => rmSync(d, { recursive: true, force: true }));
  dir = d;
  return d;
}

/** Writes `source` as an ES module next to the transpiled runtime and returns its path. */
export function writeScript(name: string, source: string): string {
  const p = join(runtimeJsDir(), name);
  writeFileSync(p, source);
  chmodSync(p, 0o644);
  return p;
}

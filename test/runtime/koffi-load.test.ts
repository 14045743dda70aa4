// How the runtime loads koffi: its native addon opened directly (no CommonJS loading of koffi's entry, which reads the
// node binary's ELF headers to pick a libc) when the addon beside koffi is koffi's own version; koffi's own loader
// otherwise. NODE_DEBUG=module logs every CommonJS load, so the direct path shows as no load of koffi at all.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect, test } from 'vitest';
import { repoRoot } from '../support/corpus.js';

const koffiEntry = createRequire(join(repoRoot, 'runtime', 'package.json')).resolve('koffi');
const version = (JSON.parse(readFileSync(join(dirname(koffiEntry), 'package.json'), 'utf8')) as { version: string }).version;

test("koffi's addon is opened directly, and works: the runtime opens a netlink socket through it", () => {
  const script = `
    const { NetlinkSocket } = await import('@nlgen/runtime');
    const s = await NetlinkSocket.open(0);
    console.log(s.portid > 0 ? 'bound' : 'unbound');
    s.close();`;
  const p = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, NODE_DEBUG: 'module' } });
  expect(p.status, p.stderr).toBe(0);
  expect(p.stdout.trim()).toBe('bound');
  expect(p.stderr).not.toMatch(/koffi/);
  // The addon beside koffi is the version koffi's package says (what the direct path checks before using it).
  const addon = createRequire(koffiEntry)(`@koromix/koffi-${process.platform}-${process.arch}/${process.platform}_${process.arch}/koffi.node`) as { version: string };
  expect(addon.version).toBe(version);
});

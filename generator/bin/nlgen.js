#!/usr/bin/env node
// Launcher: the CLI is compiled to dist/ by the package's build (in this repository: `npm install` or `npm run build`).
import { fileURLToPath } from 'node:url';

// Not `import`: see "Node's own modules on the load path" in docs/architecture.md.
const { existsSync } = process.getBuiltinModule('node:fs');
const module = process.getBuiltinModule('node:module');

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write('nlgen: not built yet; run `npm install` (or `npm run build`) in the nlgen repository first\n');
  process.exit(2);
}
// Node 22.1+ keeps the compiled code of nlgen's modules on disk: later runs skip compiling them (a faster start for
// one-request commands such as `nlgen do`). Older Node has no such cache and just compiles.
module.enableCompileCache?.();
const { exit, main } = await import(cli.href);
exit(await main(process.argv.slice(2)));

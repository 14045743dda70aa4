#!/usr/bin/env node
// Launcher: the CLI is compiled to dist/ by the package's build (in this repository: `npm install` or `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write('nlgen: not built yet; run `npm install` (or `npm run build`) in the nlgen repository first\n');
  process.exit(2);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));

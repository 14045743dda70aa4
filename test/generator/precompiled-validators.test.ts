// The build's precompiled spec validators (ajv standalone code, generator/schemas/precompile.ts) against ajv compiling
// the same schemas at run time: for every spec we ship, every corpus spec, every malformed case and a damaged copy of
// each, the same verdict and the same error objects (keyword, paths, params, the schema quoted), so `nlgen` prints
// the same diagnostics whichever it uses.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { InvalidSpecError } from '../../generator/diagnostics.js';
import { loadSpec, loadSpecText } from '../../generator/load.js';
import { precompiledValidatorsSource } from '../../generator/schemas/precompile.js';
import { schemasByProtocol } from '../../generator/schemas/index.js';
import { AJV_OPTIONS, PRECOMPILED_VALIDATORS, schemaDigest, validatorExportName } from '../../generator/schemas/validator-options.js';
import { corpusSpecFiles, corpusSkipReason, repoRoot } from '../support/corpus.js';
import { malformedCases } from './malformed-cases.js';

// Inside the repository, so the module's require('ajv/dist/runtime/…') resolves to our node_modules.
const dir = join(repoRoot, '.tmp', `precompiled-${process.pid}`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Spec data to validate: shipped specs, corpus specs, malformed cases that parse as YAML, and damaged copies. */
function subjects(): { label: string; data: Record<string, unknown> }[] {
  const out: { label: string; data: Record<string, unknown> }[] = [];
  const files = readdirSync(join(repoRoot, 'specs')).filter((f) => f.endsWith('.yaml')).map((f) => join(repoRoot, 'specs', f));
  if (!corpusSkipReason()) files.push(...corpusSpecFiles());
  for (const f of files) out.push({ label: f, data: loadSpec(f).data as Record<string, unknown> });
  for (const c of malformedCases) {
    try {
      const data = loadSpecText(c.yaml, 'bad.yaml').data;
      if (data !== null && typeof data === 'object' && !Array.isArray(data)) out.push({ label: `malformed: ${c.name}`, data: data as Record<string, unknown> });
    } catch (e) {
      if (!(e instanceof InvalidSpecError)) throw e; // YAML syntax errors never reach the schema
    }
  }
  for (const s of [...out]) {
    const sets = Array.isArray(s.data['attribute-sets']) ? (s.data['attribute-sets'] as unknown[]) : [];
    out.push({
      label: `${s.label} (damaged)`,
      data: { ...s.data, name: 7, surplus: true, 'attribute-sets': [...sets, { name: 'x', attributes: [{ name: 'a', type: 'no-such-type', value: 'one' }] }] },
    });
  }
  return out;
}

describe('precompiled spec validators', () => {
  test('same verdict and same errors as ajv compiling the schemas at run time', () => {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'validators.cjs');
    writeFileSync(file, precompiledValidatorsSource());
    const precompiled = createRequire(import.meta.url)(file) as Record<string, ValidateFunction> & { schemaDigest?: string };
    const ajv = new Ajv(AJV_OPTIONS);
    const runtime = new Map(Object.entries(schemasByProtocol).map(([p, s]) => [p, ajv.compile(s)]));
    expect(Object.keys(precompiled).filter((k) => k !== 'schemaDigest').sort()).toEqual(Object.keys(schemasByProtocol).map(validatorExportName).sort());
    expect(precompiled.schemaDigest).toBe(schemaDigest(schemasByProtocol));
    let failing = 0;
    const all = subjects();
    for (const { label, data } of all) {
      const protocol = typeof data.protocol === 'string' && data.protocol in schemasByProtocol ? data.protocol : 'genetlink';
      const a = runtime.get(protocol)!;
      const b = precompiled[validatorExportName(protocol)]!;
      const ok = a(data);
      expect(b(data), label).toBe(ok);
      expect(b.errors ?? null, label).toEqual(a.errors ?? null);
      if (!ok) failing++;
    }
    // Both kinds were compared: valid specs and many with errors.
    expect(all.length - failing).toBeGreaterThanOrEqual(10);
    expect(failing).toBeGreaterThanOrEqual(all.length / 2);
  });
});

// The built CLI: it must validate with the precompiled module (never loading ajv), and ignore one that does not match
// the schemas it runs with.
describe('generator/bin/nlgen.js and the precompiled validators', () => {
  const built = join(repoRoot, 'generator', 'dist', 'schemas', PRECOMPILED_VALIDATORS);
  // Fails any require('ajv') (the package's main entry; the precompiled module only needs ajv/dist/runtime/…).
  const noAjv = join(dir, 'no-ajv.cjs');
  beforeAll(() => {
    const fresh = (): boolean => existsSync(built) && createRequire(import.meta.url)(built).schemaDigest === schemaDigest(schemasByProtocol);
    if (!fresh()) spawnSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'ignore' });
    expect(fresh(), 'dist/ holds precompiled validators for the current schemas (npm run build)').toBe(true);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      noAjv,
      "const M = require('node:module'); const load = M._load;\n" +
        "M._load = function (request, ...rest) { if (request === 'ajv') throw new Error('ajv was loaded'); return load.call(this, request, ...rest); };\n",
    );
  });

  test('validating every shipped spec loads the precompiled module, not ajv', () => {
    const r = spawnSync(process.execPath, ['-r', noAjv, join(repoRoot, 'generator', 'bin', 'nlgen.js'), 'validate', join(repoRoot, 'specs')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(readdirSync(join(repoRoot, 'specs')).filter((f) => f.endsWith('.yaml')).length);
  });

  test('a precompiled module made from other schemas is ignored: the schemas are compiled and errors still found', () => {
    // A copy of the launcher and the built generator whose module accepts anything and carries another fingerprint.
    const copy = join(dir, 'dist');
    cpSync(join(repoRoot, 'generator', 'dist'), copy, { recursive: true });
    cpSync(join(repoRoot, 'generator', 'bin'), join(dir, 'bin'), { recursive: true });
    const accepting = Object.keys(schemasByProtocol).map((p) => `exports.${validatorExportName(p)} = () => true;`).join('\n');
    writeFileSync(join(copy, 'schemas', PRECOMPILED_VALIDATORS), `${accepting}\nexports.schemaDigest = 'from other schemas';\n`);
    writeFileSync(join(dir, 'bad.yaml'), 'name: x\n');
    const r = spawnSync(process.execPath, [join(dir, 'bin', 'nlgen.js'), 'validate', 'bad.yaml'], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('bad.yaml:1:1: missing required key "attribute-sets"');
  });
});

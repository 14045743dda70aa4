// The templates are where a generated module's shape lives: every construct's template is used by the generator, every
// template the generator names exists, and each renders what the emitted module holds (a template edit shows up in
// the output, so a shape is changed in one place).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readFamilies } from '../../generator/index.js';
import { printFamilyModule } from '../../generator/print-module.js';
import { render } from '../../generator/templates.js';
import { repoRoot } from '../support/corpus.js';

const templates = readdirSync(join(repoRoot, 'templates')).filter((f) => f.endsWith('.hbs'));
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? (e.name === 'dist' ? [] : sources(join(dir, e.name))) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
const generatorText = sources(join(repoRoot, 'generator')).map((f) => readFileSync(f, 'utf8')).join('\n');

describe('templates', () => {
  test('one per construct of a generated module, each used by the generator, none named that does not exist', () => {
    for (const t of ['family.hbs', 'constant.hbs', 'enum.hbs', 'struct.hbs', 'attr-set.hbs', 'attr-set-decoder.hbs', 'attr-set-encoder.hbs', 'sub-message.hbs', 'object-shape.hbs', 'header-into.hbs', 'operation-types.hbs', 'operation-payloads.hbs', 'name-tables.hbs', 'client.hbs', 'codecs.hbs']) {
      expect(templates, t).toContain(t);
    }
    for (const t of templates) expect(generatorText, `${t} is rendered somewhere`).toContain(`'${t}'`);
    const named = [...generatorText.matchAll(/(?:render|template)\('([a-z-]+\.hbs)'/g)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThanOrEqual(15);
    for (const t of named) expect(templates, t).toContain(t);
  });

  test("what a template lays out is what the module holds: the enum template's lines appear in nlctrl's module", () => {
    const { families } = readFamilies([join(repoRoot, 'specs', 'nlctrl.yaml')]);
    const text = printFamilyModule(families[0]!);
    const rendered = render('enum.hbs', {
      doc: '',
      id: 'Probe',
      entries: [{ doc: '', key: 'a', value: '1' }],
      namesDoc: '',
      union: '"a"',
      byValue: '',
      bits: '',
    });
    // The fixed lines of the template (with the names swapped) are lines of the generated module.
    const shape = rendered.split('\n').filter((l) => l.includes('Probe_BY_NAME') || l.includes('Probe_BITS: readonly'));
    expect(shape).toHaveLength(2);
    const firstEnum = /export const (\w+) = Object\.freeze\(\{/.exec(text)![1]!;
    for (const l of shape) expect(text).toContain(l.replaceAll('Probe', firstEnum));
  });
});

describe('precompiled templates (the built CLI)', () => {
  const built = join(repoRoot, 'generator', 'dist', 'templates.cjs');

  test('the build writes them for the current template texts, and they render what compiling renders', async () => {
    const { templatesDigest, templateTexts } = await import('../../generator/templates.js');
    const { precompiledTemplatesSource } = await import('../../generator/templates-precompile.js');
    const mod = { exports: {} as { digest?: string; templates?: Record<string, unknown> } };
    new Function('exports', 'module', precompiledTemplatesSource())(mod.exports, mod);
    expect(mod.exports.digest).toBe(templatesDigest(templateTexts().texts));
    expect(Object.keys(mod.exports.templates!).sort()).toEqual([...templates].sort());
    // The built module (npm run build) matches the templates in the repository.
    expect(readFileSync(built, 'utf8')).toContain(`exports.digest = ${JSON.stringify(templatesDigest(templateTexts().texts))};`);
  });

  test('a precompiled set made from other template texts is ignored: the CLI compiles the real ones', () => {
    mkdirSync(join(repoRoot, '.tmp'), { recursive: true });
    // Inside the repository, so the copied CLI resolves its dependencies from our node_modules.
    const dir = mkdtempSync(join(repoRoot, '.tmp', 'templates-'));
    try {
      cpSync(join(repoRoot, 'generator', 'dist'), join(dir, 'dist'), { recursive: true });
      cpSync(join(repoRoot, 'generator', 'bin'), join(dir, 'bin'), { recursive: true });
      // Every template replaced by one that renders a marker, under a digest of other texts.
      const { precompile } = Handlebars;
      const broken = templates.map((t) => `  ${JSON.stringify(t)}: ${precompile('BROKEN', { noEscape: true })},`).join('\n');
      writeFileSync(join(dir, 'dist', 'templates.cjs'), `exports.digest = 'other';\nexports.templates = {\n${broken}\n};\n`);
      const out = join(dir, 'out');
      const r = spawnSync(process.execPath, [join(dir, 'bin', 'nlgen.js'), join(repoRoot, 'specs', 'nlctrl.yaml'), '--out', out], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(readFileSync(join(out, 'nlctrl.ts'), 'utf8')).toBe(readFileSync(join(repoRoot, 'generated', 'nlctrl.ts'), 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

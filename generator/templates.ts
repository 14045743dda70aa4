// The handlebars templates of templates/: they give generated modules and reference pages their shape; emitters
// compute the view (names, types, docs, expressions) and escape spec text through names.ts. The package's build
// precompiles them (templates-precompile.ts → dist/templates.cjs), which saves compiling all of them on every run
// (~90 ms); a precompiled set made from other template texts than the ones beside it is ignored.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

/** Compile options of every template: no HTML escaping (callers escape through names.ts), strict lookups. */
export const TEMPLATE_OPTIONS = { noEscape: true, strict: true, knownHelpersOnly: true, data: false } as const;

/** File name of the precompiled templates module, beside the compiled templates.js. */
export const PRECOMPILED_TEMPLATES = 'templates.cjs';

// The build copies templates/ into dist/templates (the published package has no top-level templates/); sources run
// under vitest read the repository's templates/ directly.
const templateDirs = [new URL('./templates/', import.meta.url), new URL('../templates/', import.meta.url)];

/** The folder holding the templates, and every template's text by file name. */
export function templateTexts(): { dir: string; texts: Map<string, string> } {
  for (const url of templateDirs) {
    const dir = fileURLToPath(url);
    let names: string[];
    try {
      names = readdirSync(dir).filter((f) => f.endsWith('.hbs')).sort();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw e;
    }
    return { dir, texts: new Map(names.map((n) => [n, readFileSync(`${dir}${n}`, 'utf8')])) };
  }
  throw new Error('templates folder not found');
}

/** Fingerprint of a set of template texts (what precompiled templates were made from). */
export function templatesDigest(texts: ReadonlyMap<string, string>): string {
  const h = createHash('sha256');
  for (const [name, text] of [...texts].sort(([a], [b]) => (a < b ? -1 : 1))) h.update(`${name}\0${text}\0`);
  return h.digest('hex');
}

let loaded: Map<string, HandlebarsTemplateDelegate> | undefined;

function load(): Map<string, HandlebarsTemplateDelegate> {
  const { texts } = templateTexts();
  const out = new Map<string, HandlebarsTemplateDelegate>();
  let specs: Record<string, TemplateSpecification> | undefined;
  try {
    const mod = createRequire(import.meta.url)(`./${PRECOMPILED_TEMPLATES}`) as { digest: string; templates: Record<string, TemplateSpecification> };
    if (mod.digest === templatesDigest(texts)) specs = mod.templates;
  } catch {
    // Not built (sources under test) or unreadable: compile instead.
  }
  for (const [name, text] of texts) {
    const spec = specs?.[name];
    out.set(name, spec ? Handlebars.template(spec) : Handlebars.compile(text, TEMPLATE_OPTIONS));
  }
  return out;
}

/** A template of templates/ (`family.hbs`, `enum.hbs` …). */
export function template(name: string): HandlebarsTemplateDelegate {
  loaded ??= load();
  const t = loaded.get(name);
  if (!t) throw new Error(`template ${name} not found`);
  return t;
}

/** Renders template `name` with `view`. */
export function render(name: string, view: object): string {
  return template(name)(view);
}

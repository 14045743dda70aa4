// The handlebars templates of templates/, compiled once per process. They give generated modules and reference pages
// their shape; emitters compute the view (names, types, docs, expressions) and escape spec text through names.ts.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

// The package's build copies templates/ into dist/templates (the published package has no top-level templates/);
// sources run under vitest read the repository's templates/ directly.
const templateDirs = [new URL('./templates/', import.meta.url), new URL('../templates/', import.meta.url)];
const compiled = new Map<string, HandlebarsTemplateDelegate>();

/**
 * A template of templates/ (`family.hbs`, `enum.hbs` …), compiled without HTML escaping (callers escape through
 * names.ts) and in strict mode (a field the view lacks is an error, not an empty string).
 */
export function template(name: string): HandlebarsTemplateDelegate {
  const known = compiled.get(name);
  if (known) return known;
  for (const dir of templateDirs) {
    let text: string;
    try {
      text = readFileSync(fileURLToPath(new URL(name, dir)), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw e;
    }
    const t = Handlebars.compile(text, { noEscape: true, strict: true });
    compiled.set(name, t);
    return t;
  }
  throw new Error(`template ${name} not found`);
}

/** Renders template `name` with `view`. */
export function render(name: string, view: object): string {
  return template(name)(view);
}

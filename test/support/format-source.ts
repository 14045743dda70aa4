// The TypeScript formatter (through ts-morph) as the oracle for generated code's layout. Generation never calls it:
// the emitter writes text already in this layout, and test/generator/formatting.test.ts holds every module of our
// specs and the upstream corpus to `formatSource(text) === text`. ts-morph is a test-only dependency for that reason.
import { IndentationText, Project, QuoteKind } from 'ts-morph';

let project: Project | undefined;

/** Formats TypeScript source deterministically (2-space indent, single quotes) with the TypeScript formatter. */
export function formatSource(fileName: string, text: string): string {
  project ??= new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: { indentationText: IndentationText.TwoSpaces, quoteKind: QuoteKind.Single },
  });
  const sf = project.createSourceFile(fileName, text, { overwrite: true });
  sf.formatText({ indentSize: 2, tabSize: 2, convertTabsToSpaces: true, semicolons: 'insert' as never });
  const out = sf.getFullText();
  project.removeSourceFile(sf);
  return out.endsWith('\n') ? out : `${out}\n`;
}

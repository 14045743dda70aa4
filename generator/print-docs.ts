// Reference pages as text: templates/family-doc.hbs lays out the view emit-docs.ts computes from the model.
import { familyDocView } from './emit-docs.js';
import type { Family } from './model.js';
import { markdownCell, markdownCode, moduleFileName } from './names.js';
import { template } from './templates.js';
import { GENERATED_DOC_MARK } from './write-output.js';

/** Blank lines at most one in a row, one newline at the end: the same bytes however sections come out empty. */
function tidy(text: string): string {
  return `${text.replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}

/** The Markdown reference page of one family. */
export function printFamilyDoc(f: Family): string {
  return tidy(template('family-doc.hbs')(familyDocView(f)));
}

/** The index page: every family with its protocol and the first line of its doc. */
export function printDocsIndex(families: readonly Family[]): string {
  const rows = [...families]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((f) => `| [${markdownCode(f.name)}](${moduleFileName(f)}.md) | ${markdownCode(f.protocol)} | ${markdownCell((f.doc ?? '').split('\n')[0] ?? '')} |`);
  return tidy(
    `${GENERATED_DOC_MARK} (index). DO NOT EDIT: regenerate with \`nlgen docs\`. -->\n# Netlink families\n\n` +
      `Reference pages generated from the specs by \`nlgen docs\`: each family's operations with their request and reply ` +
      `attributes, attribute sets, enums and flags, structs, multicast groups and notifications.\n\n` +
      `| family | protocol | about |\n|---|---|---|\n${rows.join('\n')}\n`,
  );
}

/** File name of a family's page. */
export function docFileName(f: Family): string {
  return `${moduleFileName(f)}.md`;
}

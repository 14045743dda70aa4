// Where overlay files are: paths as given, and `@upstream` for the folder nlgen ships. Apart from the overlay reader so
// that the family commands can name a cached module's overlays without loading the YAML and schema machinery.
import { fileURLToPath } from 'node:url';

// Not `import`: see "Node's own modules on the load path" in docs/architecture.md.
const { statSync } = process.getBuiltinModule('node:fs');

/** `--overlay @upstream`: the overlays nlgen ships for the kernel's own specs. */
export const UPSTREAM_OVERLAYS = '@upstream';

/**
 * An overlay path as given, with `@upstream` standing for the folder of overlays nlgen ships (dist/overlays/upstream
 * in the package, overlays/upstream in the repository).
 */
export function resolveOverlayPath(p: string): string {
  if (p !== UPSTREAM_OVERLAYS) return p;
  for (const rel of ['./overlays/upstream', '../overlays/upstream', '../../overlays/upstream']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    try {
      if (statSync(dir).isDirectory()) return dir;
    } catch {
      /* try the next place */
    }
  }
  return p;
}

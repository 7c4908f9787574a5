import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The import arrows between the top folders are the architecture: core/ is the base (definitions,
 * database, pure geometry), ingest/ writes, server/ reads, openapi/ describes. This test reads every
 * relative import in the repository and fails, naming the file and the rule, when an arrow appears
 * that the layering forbids.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SKIP = new Set(['node_modules', 'dist', 'generated', '.git', '.lakefront', 'coverage', '.ci']);

interface ImportArrow {
  readonly from: string;
  readonly to: string;
}

/** Test support: anything under a `test/` or `testing/` folder (including the top-level testing/). */
const isTestSupport = (file: string): boolean => /(^|\/)(test|testing)\//.test(file);
/** Product code: what ships (the image copies these folders). Benchmarks and examples are tools. */
const isProduct = (file: string): boolean =>
  /^(core|ingest|server|cli|openapi|migrations|deploy|explorer|sdk\/src)\//.test(file) && !isTestSupport(file);

interface Rule {
  readonly name: string;
  readonly forbids: (arrow: ImportArrow) => boolean;
}

const RULES: readonly Rule[] = [
  { name: 'server/ product code does not import ingest/', forbids: (a) => isProduct(a.from) && a.from.startsWith('server/') && a.to.startsWith('ingest/') },
  { name: 'ingest/ product code does not import server/', forbids: (a) => isProduct(a.from) && a.from.startsWith('ingest/') && a.to.startsWith('server/') },
  { name: 'openapi/ does not import server/', forbids: (a) => a.from.startsWith('openapi/') && a.to.startsWith('server/') },
  {
    name: 'core/ product code imports only core/',
    forbids: (a) => isProduct(a.from) && a.from.startsWith('core/') && !a.to.startsWith('core/'),
  },
  // The SDK is its own published package: it cannot reach into the app.
  { name: 'sdk/src imports only sdk/', forbids: (a) => a.from.startsWith('sdk/src/') && !a.to.startsWith('sdk/') },
  { name: 'product code does not import test support', forbids: (a) => isProduct(a.from) && isTestSupport(a.to) },
  { name: 'nothing imports from outside the repository', forbids: (a) => a.to.startsWith('../') },
];

function sourceFiles(dir = ''): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const relative = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...sourceFiles(relative));
    else if (/\.(ts|js|mjs)$/.test(entry.name)) files.push(relative);
  }
  return files;
}

/** Static imports, re-exports and dynamic `import('…')` with a relative specifier. */
function relativeImports(file: string, source: string): ImportArrow[] {
  const arrows: ImportArrow[] = [];
  for (const match of source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]*)['"]/g)) {
    const to = path.posix.normalize(path.posix.join(path.posix.dirname(file), match[1]!));
    arrows.push({ from: file, to });
  }
  return arrows;
}

function violations(arrows: readonly ImportArrow[]): string[] {
  return arrows.flatMap((arrow) =>
    RULES.filter((rule) => rule.forbids(arrow)).map((rule) => `${arrow.from} -> ${arrow.to}  (${rule.name})`),
  );
}

describe('layering', () => {
  it('has no forbidden import arrow between the top folders', () => {
    // This file's own examples of forbidden imports are strings, not imports.
    const files = sourceFiles().filter((file) => file !== 'testing/test/layering.test.ts');
    expect(files.length).toBeGreaterThan(100);
    const arrows = files.flatMap((file) => relativeImports(file, readFileSync(path.join(ROOT, file), 'utf8')));
    expect(violations(arrows)).toEqual([]);
  });

  it('catches each forbidden arrow', () => {
    const cases: Record<string, string> = {
      'server/src/handlers/x.ts': "import { polygonsOf } from '../../../ingest/geo/geojson.js';",
      'openapi/draft.ts': "import { listSurface } from '../server/src/datasets-api/surface.js';",
      'ingest/sync/x.ts': "import { startSodaServer } from '../../testing/soda-server.js';",
      'core/db/x.ts': "export { x } from '../../ingest/x.js';",
      'cli/x.ts': "const data = await import('../../elsewhere/fixtures/x.js');",
      'sdk/src/x.ts': "import { datasets } from '../../core/datasets/index.js';",
    };
    const found = Object.entries(cases).flatMap(([file, source]) => violations(relativeImports(file, source)));
    expect(found).toEqual([
      'server/src/handlers/x.ts -> ingest/geo/geojson.js  (server/ product code does not import ingest/)',
      'openapi/draft.ts -> server/src/datasets-api/surface.js  (openapi/ does not import server/)',
      'ingest/sync/x.ts -> testing/soda-server.js  (product code does not import test support)',
      'core/db/x.ts -> ingest/x.js  (core/ product code imports only core/)',
      'cli/x.ts -> ../elsewhere/fixtures/x.js  (nothing imports from outside the repository)',
      'sdk/src/x.ts -> core/datasets/index.js  (sdk/src imports only sdk/)',
    ]);
  });

  it('allows tests to import test support and the layers they exercise', () => {
    const arrows = relativeImports('server/test/x.test.ts', "import { startSodaServer } from '../../testing/soda-server.js';");
    expect(violations(arrows)).toEqual([]);
  });
});

// Builds the web dashboard (dashboard/) into dist/dashboard: one esbuild bundle plus the static files.
// Run by `npm run build` after `nest build`; the app serves the result at /dashboard (src/dashboard.ts).
import { build } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'dashboard');
const out = join(root, 'dist', 'dashboard');

await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
const result = await build({
  entryPoints: [join(src, 'src', 'main.ts')],
  outfile: join(out, 'app.js'),
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2022'],
  minify: true,
  sourcemap: true,
  legalComments: 'linked',
  metafile: true,
  logLevel: 'warning',
});
await Promise.all(['index.html', 'styles.css'].map((f) => copyFile(join(src, f), join(out, f))));
const bytes = result.metafile.outputs[Object.keys(result.metafile.outputs).find((k) => k.endsWith("app.js"))].bytes;
console.log(`dashboard built into ${out} (app.js ${Math.round(bytes / 1024)} KiB)`);

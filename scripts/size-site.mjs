// The site whose bytes are the package's size budget (issue 24): a Vite
// production build (defaults) of a page whose only code imports the plugin
// from the packed tarball (`npm pack` of this repo, as a website installs
// it) and makes it, and of the same page without the plugin (Vite's own
// bytes, for reference). bench/run.mjs measures and reports it; `npm test`
// builds it into tests/artifacts/size-site/ for size-limit (.size-limit.json),
// which fails above the budget:
//
//   node scripts/size-site.mjs [dir]
import { execFileSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The sites' code: the plugin as the README installs it, and nothing. */
export const SITES = {
  // Logs once the wasm is in and load() has run (the tag itself is blocked in the bench).
  plugin: "import { convertroPlugin } from 'convertro-analytics-plugin';\n\nconst plugin = convertroPlugin({ account: 'acme' });\nplugin.load().then(() => console.log(plugin.name));\n",
  empty: "console.log('Convertro');\n",
};

/**
 * Packs the package into `dir` and builds each site in `dir/<name>/dist`.
 * Resolves to { vite, tarball, tarballPath, dirs: { plugin, empty } }.
 */
export async function buildSites(dir) {
  await mkdir(dir, { recursive: true });
  const pack = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [{ filename }] = JSON.parse(pack);
  const tarball = join(dir, filename);
  const vite = await import('vite');
  const dirs = {};
  for (const [name, code] of Object.entries(SITES)) {
    const site = join(dir, name);
    await rm(site, { recursive: true, force: true });
    const pkgDir = join(site, 'node_modules', 'convertro-analytics-plugin');
    await mkdir(pkgDir, { recursive: true });
    execFileSync('tar', ['-xzf', tarball, '-C', pkgDir, '--strip-components=1']);
    await writeFile(join(site, 'package.json'), JSON.stringify({ name: `size-${name}`, private: true, type: 'module', dependencies: { 'convertro-analytics-plugin': `file:${tarball}` } }));
    await writeFile(join(site, 'index.html'), '<!doctype html>\n<html><head><meta charset="utf-8"><title>shop</title></head>\n<body><script type="module" src="/main.js"></script></body></html>\n');
    await writeFile(join(site, 'main.js'), code);
    await vite.build({ root: site, configFile: false, logLevel: 'silent', build: { outDir: 'dist', emptyOutDir: true } });
    dirs[name] = join(site, 'dist');
  }
  return { vite: vite.version, tarball: filename, tarballPath: tarball, dirs };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = resolve(process.argv[2] ?? join(ROOT, 'tests/artifacts/size-site'));
  const built = await buildSites(dir);
  await rm(built.tarballPath);
  console.log(`built the size-budget site with Vite ${built.vite}: ${built.dirs.plugin}`);
}

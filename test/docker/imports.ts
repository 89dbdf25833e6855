/**
 * Every import of the code in an image layout, checked against the files and packages the layout
 * holds. The run test loads what `--version`, `doctor` and `start` load; this also covers the
 * modules loaded later (`await import(…)` of a command), so that a folder left out of the
 * Dockerfile is caught whichever command needs it.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';

const CODE = /\.(ts|mts|js|mjs|cjs)$/;

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return false;
      throw error;
    },
  );
}

async function codeFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await codeFiles(full)));
    else if (CODE.test(entry.name)) found.push(full);
  }
  return found;
}

/** `./x.js` as TypeScript sources write it may be `./x.ts` on disk (tsx maps one to the other). */
function candidates(base: string): string[] {
  const ts = base.replace(/\.(m?)js$/, '.$1ts');
  return [base, ts, `${base}.ts`, path.join(base, 'index.ts'), path.join(base, 'index.js')];
}

/** The package a bare specifier names: `@scope/name/sub` → `@scope/name`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** Imports that do not resolve inside the layout, as `file: specifier`, relative to `appDir`. */
export async function unresolvedImports(appDir: string): Promise<string[]> {
  const builtins = new Set(builtinModules);
  const missing: string[] = [];
  for (const file of await codeFiles(appDir)) {
    const text = await readFile(file, 'utf8');
    // Type-only imports vanish at run time; the image does not need what they name.
    const runtimeText = text.replace(/^\s*(import|export)\s+type\s[^;]*;/gm, '');
    const { importedFiles } = ts.preProcessFile(runtimeText, true, true);
    for (const { fileName: specifier } of importedFiles) {
      let ok: boolean;
      if (specifier.startsWith('node:') || builtins.has(specifier)) ok = true;
      else if (specifier.startsWith('.') || specifier.startsWith('/')) {
        const base = path.resolve(path.dirname(file), specifier);
        ok = false;
        for (const c of candidates(base)) if (!ok && (await exists(c))) ok = (await stat(c)).isFile();
      } else ok = await exists(path.join(appDir, 'node_modules', packageName(specifier), 'package.json'));
      if (!ok) missing.push(`${path.relative(appDir, file)}: ${specifier}`);
    }
  }
  return missing;
}

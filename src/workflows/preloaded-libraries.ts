/**
 * Loaded by the workflow bundle's preload step only (src/workflow-bundle-options.ts), to make
 * the libraries below load there, once per worker thread, instead of once per execution.
 *
 * Naming a library in `preloadModules` is not enough for zod: its package.json says it has
 * no side effects, so webpack compiles a bare `require('zod')` whose result is unused to
 * nothing and zod's modules were evaluated again for every execution. Using what it exports,
 * as here, keeps the require.
 *
 * After preloading, the SDK deep-freezes what loaded, zod's global config included. zod fills
 * that config (its default locale, its memoizer) when the first schema is built, so one is
 * built and used here, before the freeze; otherwise the first execution's first schema fails
 * with "Cannot add property localeError, object is not extensible".
 */
import { Environment } from '@marcbachmann/cel-js';
import { z } from 'zod';

z.strictObject({ warmUp: z.string() }).safeParse({ warmUp: '' });

export const PRELOADED_LIBRARIES = [z, Environment] as const;

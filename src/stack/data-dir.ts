import { fileURLToPath } from 'node:url';

/** Where `npm start` keeps its data unless WF_DATA_DIR says otherwise: `.data/` in the project. */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../.data', import.meta.url));

// Paths and URLs the end-to-end support shares.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Convertro's CDN, where the tag lives by default. */
export const CDN = 'https://d1ivexoxmp59q7.cloudfront.net';

/** The default tag URL for an account. */
export const cdnTag = (account) => `${CDN}/${account}/live.js`;

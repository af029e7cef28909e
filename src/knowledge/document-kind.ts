/**
 * Which documents a corpus takes (DESIGN §12): text, Markdown and JSON, up to a size, told
 * apart by the file name's extension (or named outright). Everything else is refused with an
 * error that says what would be taken, before anything is stored.
 */
import { KnowledgeInputError } from './errors';

export type DocumentKind = 'text' | 'markdown' | 'json';

export const DOCUMENT_KINDS: readonly DocumentKind[] = ['text', 'markdown', 'json'];

/** The largest document taken, in UTF-8 bytes. */
export const MAX_DOCUMENT_BYTES = 1024 * 1024;

/** A document's name: what `wf knowledge ingest` gives (the file's base name) or the API/node names. */
export const MAX_DOCUMENT_NAME_LENGTH = 200;

const BY_EXTENSION: Record<string, DocumentKind> = { txt: 'text', text: 'text', md: 'markdown', markdown: 'markdown', json: 'json' };

/** The kind of `name`'s document: `kind` when given, else from its extension (none: text). */
export function documentKind(name: string, kind?: DocumentKind): DocumentKind {
  if (kind) return kind;
  const match = /\.([^./\\]+)$/.exec(name);
  if (!match) return 'text';
  const found = BY_EXTENSION[match[1]!.toLowerCase()];
  if (!found) throw new KnowledgeInputError(`document "${name}": only text (.txt), Markdown (.md) and JSON (.json) documents are taken`);
  return found;
}

/** Refuses what is not a document of its kind: empty, too large, not text. */
export function checkDocument(name: string, text: string): void {
  if (name.length === 0 || name.length > MAX_DOCUMENT_NAME_LENGTH) throw new KnowledgeInputError(`a document name is 1-${MAX_DOCUMENT_NAME_LENGTH} characters`);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_DOCUMENT_BYTES) throw new KnowledgeInputError(`document "${name}" has ${bytes} bytes, at most ${MAX_DOCUMENT_BYTES} are taken`);
  if (text.includes('\u0000')) throw new KnowledgeInputError(`document "${name}" contains U+0000: it is not a text document`);
  if (text.trim().length === 0) throw new KnowledgeInputError(`document "${name}" is empty`);
}

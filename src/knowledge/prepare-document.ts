/**
 * A document checked before anything is stored (DESIGN §12): its kind, size and text, and a
 * trial cut into chunks, so malformed JSON or a document too large to index is refused at
 * the door (API 400, CLI exit 2, node failure) rather than failing later in its workflow.
 */
import { createHash } from 'node:crypto';
import { chunkDocument } from './chunker';
import { checkDocument, documentKind, type DocumentKind } from './document-kind';

export interface DocumentToIngest {
  name: string;
  text: string;
  kind?: DocumentKind;
}

export interface PreparedDocument {
  name: string;
  kind: DocumentKind;
  text: string;
  /** sha256 of kind and text: the same content is the same document in a corpus. */
  contentHash: string;
  chunks: number;
}

export function prepareDocument(document: DocumentToIngest): PreparedDocument {
  const kind = documentKind(document.name, document.kind);
  checkDocument(document.name, document.text);
  const chunks = chunkDocument(document.name, kind, document.text).length;
  const contentHash = createHash('sha256').update(`${kind}\u0000${document.text}`).digest('hex');
  return { name: document.name, kind, text: document.text, contentHash, chunks };
}

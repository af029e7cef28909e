/**
 * Cuts a document into chunks for embedding (DESIGN §12). Paragraphs are packed together up
 * to CHUNK_CHARS; a Markdown heading starts a new chunk, so a chunk stays within one
 * section; a paragraph longer than a chunk is cut at sentence ends, then at spaces. JSON is
 * flattened to `path: value` lines first, so each chunk says where its values sit.
 */
import type { DocumentKind } from './document-kind';
import { KnowledgeInputError } from './errors';

export const CHUNK_CHARS = 800;
/** More chunks than this from one document is refused (about 1.5 MiB of text). */
export const MAX_CHUNKS_PER_DOCUMENT = 2000;

export function chunkDocument(name: string, kind: DocumentKind, text: string): string[] {
  const blocks = kind === 'json' ? jsonLines(name, text) : kind === 'markdown' ? markdownBlocks(text) : paragraphs(text).map((paragraph) => ({ text: paragraph, heading: false }));
  const chunks = pack(blocks);
  if (chunks.length === 0) throw new KnowledgeInputError(`document "${name}" has no text to index`);
  if (chunks.length > MAX_CHUNKS_PER_DOCUMENT) throw new KnowledgeInputError(`document "${name}" makes ${chunks.length} chunks, at most ${MAX_CHUNKS_PER_DOCUMENT} are taken: split it`);
  return chunks;
}

interface Block {
  text: string;
  /** Starts a section: never packed after the previous block. */
  heading: boolean;
}

function paragraphs(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph.length > 0);
}

/** Paragraphs, with each heading glued to the paragraph under it and marked as a section start. */
function markdownBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let fenced = false;
  let current: string[] = [];
  let heading = false;
  const close = (): void => {
    const joined = current.join('\n').trim();
    if (joined.length > 0) blocks.push({ text: joined, heading });
    current = [];
    heading = false;
  };
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (!fenced && /^#{1,6}\s/.test(line)) {
      close();
      heading = true;
      current.push(line);
      continue;
    }
    // A blank line ends a paragraph, except inside a code fence or right under a heading.
    if (!fenced && line.trim() === '' && !(heading && current.length === 1)) {
      close();
      continue;
    }
    current.push(line);
  }
  close();
  return blocks;
}

function jsonLines(name: string, text: string): Block[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new KnowledgeInputError(`document "${name}" is not valid JSON: ${(error as Error).message}`);
  }
  const lines: Block[] = [];
  const walk = (node: unknown, path: string): void => {
    if (Array.isArray(node)) node.forEach((item, index) => walk(item, `${path}[${index}]`));
    else if (node !== null && typeof node === 'object') for (const [key, item] of Object.entries(node)) walk(item, /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`);
    else lines.push({ text: `${path}: ${typeof node === 'string' ? node : JSON.stringify(node)}`, heading: false });
  };
  walk(value, '$');
  return lines;
}

function pack(blocks: Block[]): string[] {
  const chunks: string[] = [];
  let current = '';
  const flush = (): void => {
    if (current.length > 0) chunks.push(current);
    current = '';
  };
  for (const block of blocks) {
    if (block.heading) flush();
    for (const piece of cut(block.text)) {
      if (current.length > 0 && current.length + 2 + piece.length > CHUNK_CHARS) flush();
      current = current.length > 0 ? `${current}\n\n${piece}` : piece;
    }
  }
  flush();
  return chunks;
}

/** A block longer than a chunk, cut at sentence ends, then at whitespace, then anywhere. */
function cut(text: string): string[] {
  if (text.length <= CHUNK_CHARS) return [text];
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > CHUNK_CHARS) {
    const window = rest.slice(0, CHUNK_CHARS);
    const sentenceEnd = Math.max(window.lastIndexOf('. '), window.lastIndexOf('.\n'), window.lastIndexOf('! '), window.lastIndexOf('? '));
    const space = window.search(/\s\S*$/);
    const at = sentenceEnd > CHUNK_CHARS / 2 ? sentenceEnd + 1 : space > CHUNK_CHARS / 2 ? space : CHUNK_CHARS;
    pieces.push(rest.slice(0, at).trim());
    rest = rest.slice(at).trim();
  }
  if (rest.length > 0) pieces.push(rest);
  return pieces;
}

/**
 * `wf knowledge ingest | search | corpora | documents` (DESIGN §12). Ingest reads the files
 * (text, Markdown, JSON; strict UTF-8), checks them all before anything is stored, and by
 * default waits for each document's ingest workflow, printing how it ended.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { CorpusSelector } from '../../knowledge/names';
import { MAX_DOCUMENT_BYTES } from '../../knowledge/document-kind';
import type { DocumentRow } from '../../store/knowledge/document-row';
import { CliError } from '../cli-error';
import { configWithOrg, withClient } from '../context';
import { EXIT } from '../exit-codes';
import { cliProviderAccess } from '../knowledge-access';

type Out = (line: string) => void;

function readDocument(path: string): { name: string; text: string } {
  let bytes: Buffer;
  try {
    const size = statSync(path).size;
    if (size > MAX_DOCUMENT_BYTES) throw new CliError(`${path}: ${size} bytes, at most ${MAX_DOCUMENT_BYTES} are taken`, EXIT.invalid);
    bytes = readFileSync(path);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, EXIT.invalid);
  }
  try {
    return { name: basename(path), text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    throw new CliError(`${path} is not UTF-8 text`, EXIT.invalid);
  }
}

function documentLine(document: DocumentRow): string {
  const what = document.status === 'ready' ? `ready, ${document.chunks} chunks` : document.status === 'failed' ? `failed: ${document.error}` : 'processing';
  return `${document.id}  ${document.name}  ${what}`;
}

export async function knowledgeIngestCommand(corpus: string, files: string[], options: { scope?: Record<string, string>; wait?: boolean; org?: string; json?: boolean }, out: Out): Promise<number> {
  const documents = files.map(readDocument);
  const config = configWithOrg(options.org);
  return withClient(config, async (client) => {
    const answer = await client.knowledge.ingest(config.organizationId, corpus, documents, { scope: options.scope });
    const results: DocumentRow[] = [];
    for (const { document, created } of answer.documents) {
      const settled = options.wait === false ? document : await client.knowledge.waitForDocument(config.organizationId, document.id);
      results.push(settled);
      if (!options.json) out(`${documentLine(settled)}${created ? '' : '  (same content already in the corpus)'}`);
    }
    const failed = results.filter((document) => document.status === 'failed').length;
    if (options.json) out(JSON.stringify({ corpus: { id: answer.corpus.id, name: answer.corpus.name }, documents: results }));
    else out(`corpus ${answer.corpus.name} (${answer.corpus.id}): ${results.length} document(s)${failed ? `, ${failed} failed` : ''}`);
    return failed > 0 ? EXIT.executionFailed : EXIT.ok;
  });
}

export async function knowledgeSearchCommand(corpus: string | undefined, query: string, options: { topK?: string; minScore?: string; scope?: Record<string, string>; org?: string; json?: boolean }, out: Out): Promise<number> {
  if ((corpus === undefined) === (options.scope === undefined)) throw new CliError('give CORPUS QUERY, or --scope key=value QUERY (not both a corpus and a scope)', EXIT.invalid);
  const selector: CorpusSelector = corpus ?? { scope: options.scope! };
  const topK = options.topK !== undefined ? Number(options.topK) : undefined;
  const minScore = options.minScore !== undefined ? Number(options.minScore) : undefined;
  if (topK !== undefined && !Number.isInteger(topK)) throw new CliError(`--top-k takes a whole number, got "${options.topK}"`, EXIT.invalid);
  if (minScore !== undefined && !Number.isFinite(minScore)) throw new CliError(`--min-score takes a number, got "${options.minScore}"`, EXIT.invalid);
  const config = configWithOrg(options.org);
  return withClient(config, async (client) => {
    const found = await client.knowledge.search({ organizationId: config.organizationId, corpus: selector, query, topK, minScore }, cliProviderAccess(client.pool, config.organizationId));
    if (options.json) out(JSON.stringify(found));
    else if (found.matches.length === 0) out(`no matches (${found.latencyMs} ms)`);
    else {
      for (const match of found.matches) out(`${match.score.toFixed(4)}  ${match.chunkId}  ${oneLine(match.text, 100)}`);
      out(`${found.matches.length} match(es) in ${found.latencyMs} ms`);
    }
    return EXIT.ok;
  });
}

export async function knowledgeCorporaCommand(options: { org?: string; json?: boolean }, out: Out): Promise<number> {
  const config = configWithOrg(options.org);
  return withClient(config, async (client) => {
    const corpora = await client.knowledge.corpora(config.organizationId);
    if (options.json) out(JSON.stringify(corpora));
    else if (corpora.length === 0) out('no corpora (wf knowledge ingest CORPUS FILE... makes one)');
    else for (const corpus of corpora) out(`${corpus.name}  ${corpus.status}  ${corpus.documents} documents, ${corpus.chunks} chunks  scope ${JSON.stringify(corpus.scope)}  (${corpus.id})`);
    return EXIT.ok;
  });
}

export async function knowledgeDocumentsCommand(corpus: string, options: { org?: string; json?: boolean }, out: Out): Promise<number> {
  const config = configWithOrg(options.org);
  return withClient(config, async (client) => {
    const { documents } = await client.knowledge.documents(config.organizationId, corpus);
    if (options.json) out(JSON.stringify(documents));
    else if (documents.length === 0) out('no documents');
    else for (const document of documents) out(documentLine(document));
    return EXIT.ok;
  });
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

import { randomUUID } from 'node:crypto';
import type { PayloadRef } from '../../payload-refs/reference';
import type { Json } from '../../workflows/graph/types';
import type { Queryable } from '../query';

export interface PayloadOwner {
  organizationId: string;
  executionId: string;
  nodeId: string;
}

/** Stores one large value of a node's output; returns the reference that travels instead. */
export async function insertPayload(db: Queryable, owner: PayloadOwner, value: Json, bytes: number): Promise<PayloadRef> {
  const id = randomUUID();
  await db.query({
    name: 'payloads/insert',
    text: `INSERT INTO payloads (id, organization_id, execution_id, node_id, bytes, data) VALUES ($1, $2, $3, $4, $5, $6::jsonb)`,
    values: [id, owner.organizationId, owner.executionId, owner.nodeId, bytes, JSON.stringify(value)],
  });
  return { $payload: id, bytes };
}

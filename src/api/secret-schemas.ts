/** Request and response schemas of the secret routes (DESIGN §10): a value goes in, never out. */
import { z } from 'zod';
import { secretValueProblem } from '../client/secrets';
import { secretNameSchema } from '../workflows/graph/secret-ref';

export const secretParams = z.strictObject({ name: secretNameSchema });

export const putSecretBody = z.strictObject({
  value: z
    .string()
    .superRefine((value, context) => {
      const problem = secretValueProblem(value);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    })
    .describe('the plaintext; stored encrypted, never returned'),
});

const timestamp = z.string().describe('ISO 8601 timestamp');

/** What is shown of a secret: never its value (a plain object: a field not named here is dropped from the answer). */
export const secretView = z.object({ name: z.string(), createdAt: timestamp, updatedAt: timestamp });

export const secretStored = z.object({ name: z.string(), stored: z.enum(['created', 'replaced']) });

/**
 * The schemas the OpenAPI document names in components.schemas and refers to: zod's global
 * registry, which also holds every `.describe()` text. The JSON value schema must be named:
 * it is recursive, and a recursive schema without a name became a `$ref` to a component that
 * was never written ("Missing $ref pointer #/components/schemas/schema0").
 */
import { z } from 'zod';

export const apiSchemas = z.globalRegistry;

/** Any JSON value (inputs, payloads). */
export const jsonValue = z.json();
apiSchemas.add(jsonValue, { id: 'JsonValue' });

import { describe, expect, it } from 'vitest';
import { sanitizeError, sanitizeMessage } from '../../src/common/sanitize';

describe('sanitize', () => {
  it('drops stack frames and redacts credentials, bearer tokens and password fields', () => {
    const message = 'connect failed for postgres://app:hunter2@db:5432/wf with Authorization: Bearer abc.def.ghi password=s3cret\n    at connect (/srv/x.js:1:2)\n    at main (/srv/y.js:3:4)';
    const clean = sanitizeMessage(message);
    expect(clean).not.toContain('hunter2');
    expect(clean).not.toContain('abc.def.ghi');
    expect(clean).not.toContain('s3cret');
    expect(clean).not.toMatch(/\sat \S+ \(/);
    expect(clean).toContain('postgres://app:***@db:5432/wf');
  });

  it('keeps a type and a message only, and bounds the length', () => {
    const error = new TypeError('x'.repeat(5000));
    const clean = sanitizeError(error);
    expect(Object.keys(clean).sort()).toEqual(['message', 'type']);
    expect(clean.type).toBe('TypeError');
    expect(clean.message.length).toBeLessThanOrEqual(2001);
    expect(sanitizeError('plain')).toEqual({ type: 'Error', message: 'plain' });
  });
});

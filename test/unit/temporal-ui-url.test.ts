/** WF_TEMPORAL_UI_URL: where the console links an execution in the Temporal Web UI. */
import { expect, test } from 'vitest';
import { ConfigError, loadApiConfig, loadLocalStackConfig } from '../../src/config';

test('defaults to the local Web UI, kept without a trailing slash', () => {
  expect(loadApiConfig({}).temporalUiUrl).toBe('http://localhost:8233');
  expect(loadLocalStackConfig('/tmp/x', {}).temporalUiUrl).toBe('http://localhost:8233');
  expect(loadApiConfig({ WF_TEMPORAL_UI_URL: 'https://temporal.example.com/ui/' }).temporalUiUrl).toBe('https://temporal.example.com/ui');
});

test.each(['temporal.example.com', 'javascript:alert(1)', 'ftp://host', 'https://host/?q=1'])('refuses %s, naming the variable', (value) => {
  expect(() => loadApiConfig({ WF_TEMPORAL_UI_URL: value })).toThrow(ConfigError);
  expect(() => loadApiConfig({ WF_TEMPORAL_UI_URL: value })).toThrow(/WF_TEMPORAL_UI_URL must be the Temporal Web UI's http\(s\) address/);
});

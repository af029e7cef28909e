import { loadConfig, type EngineConfig } from '../config';

/** The connection config, for `--org ORG` when given (else WF_ORG or "default"). */
export function configWithOrg(org: string | undefined): EngineConfig {
  const config = loadConfig();
  return org ? { ...config, organizationId: org } : config;
}

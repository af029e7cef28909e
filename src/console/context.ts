/** What every page is given: the API client, who the key is, and how to move to another page. */
import type { Api } from './api';
import type { Route } from './router';
import type { ConsoleConfig, Identity, Role } from './types';

export interface PageContext {
  api: Api;
  me: Identity;
  config: ConsoleConfig;
  navigate(url: string, replace?: boolean): void;
}

/** A page draws itself into `main`; the function it returns stops its polling and streams. */
export type Page<R extends Route = Route> = (main: HTMLElement, context: PageContext, route: R) => (() => void) | void;

/** Mutations need operator (DESIGN §9): a viewer is shown no button the API would refuse. */
export const canOperate = (role: Role): boolean => role === 'operator' || role === 'admin';

/** Runs `work` now and every `ms` while the tab is visible, never two at once; returns stop. */
export function every(ms: number, work: () => Promise<void>): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = async (): Promise<void> => {
    if (stopped) return;
    if (document.visibilityState === 'visible') await work().catch(() => undefined);
    if (!stopped) timer = setTimeout(() => void tick(), ms);
  };
  void tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

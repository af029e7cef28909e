import { validateGraph } from './src/workflows/graph/validate';
const show = (d: unknown) => console.log(JSON.stringify(validateGraph(d), null, 1));
show({ id: 'Bad Id', version: 0, nodes: [
  { id: 'a', type: 'noop' },
  { id: 'a', type: 'noop' },
  { id: '1bad', type: 'noop' },
  { id: 'b', type: 'nope' },
  { id: 'c', type: 'delay', config: { duration: 'soon' } },
  { id: 'd', type: 'mock', config: { delayMs: -1, extra: 1, output: { x: { $expr: 'input.' } } } },
  { id: 'e', type: 'transform' },
  { id: 'f', type: 'noop', config: { x: 1 } },
  { id: 'g', type: 'mock', compensate: { type: 'zzz' } },
 ], edges: [
  { from: 'a', to: 'zz' }, { from: 'qq', to: 'b', when: 'output.n >' },
  { from: 'b', to: 'c' }, { from: 'c', to: 'b' },
 ], settings: { output: { $expr: 'output.x' }, concurrency: { key: 'nope.x', max: 1 } } });
show('x');
show({ id: 'g', version: 1, nodes: [{ id: 'a', type: 'noop' }] });
show({ id: 'g', version: 1, nodes: [], edges: 3 });

export { freePort } from '../../src/stack/free-port';

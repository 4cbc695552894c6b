// autocannon ships no types (and @types/autocannon is not installed); the part the bench uses.
declare module 'autocannon' {
  import { EventEmitter } from 'events';
  interface Options {
    url: string;
    connections?: number;
    duration?: number;
    amount?: number;
    headers?: Record<string, string>;
  }
  type Instance = EventEmitter & PromiseLike<unknown>;
  function autocannon(opts: Options): Instance;
  export default autocannon;
}

/**
 * `Packet.layers` for lines the fast scanner read: an object that behaves as
 * `JSON.parse(line).layers` (keys, order, values, `JSON.stringify`, spread, `Object.keys`, `in`)
 * but parses the line only when something first looks at it. Most topologies never do, and a
 * parsed layers object (an array and a string per field) costs memory and garbage-collector time
 * for as long as the packet is kept. Once parsed it is an ordinary object behind the proxy.
 *
 * Limit: a Proxy cannot be passed to `structuredClone` or `postMessage`; copy it first
 * (`{ ...packet.layers }`) if you need to.
 */

/** Where the unparsed line waits on the proxy's target until the first access. */
const UNPARSED = Symbol('unparsed EK line');

type LayersTarget = Record<string | symbol, unknown>;

/** Moves the parsed layers onto the target the first time; the caller has checked the line. */
function materialize(target: LayersTarget): LayersTarget {
  const line = target[UNPARSED];
  if (typeof line === 'string') {
    delete target[UNPARSED];
    Object.assign(target, (JSON.parse(line) as { layers: Record<string, unknown> }).layers);
  }
  return target;
}

const handler: ProxyHandler<LayersTarget> = {
  get: (target, key, receiver) => Reflect.get(materialize(target), key, receiver),
  has: (target, key) => Reflect.has(materialize(target), key),
  ownKeys: (target) => Reflect.ownKeys(materialize(target)),
  getOwnPropertyDescriptor: (target, key) => Reflect.getOwnPropertyDescriptor(materialize(target), key),
  set: (target, key, value, receiver) => Reflect.set(materialize(target), key, value, receiver),
  deleteProperty: (target, key) => Reflect.deleteProperty(materialize(target), key),
  defineProperty: (target, key, descriptor) => Reflect.defineProperty(materialize(target), key, descriptor),
};

/**
 * The `layers` object of an EK document line, parsed on first use. Only for lines that JSON.parse
 * accepts, whose `layers` is an object without a `__proto__` key (what `scanFlatEkFields` checks).
 */
export function lazyLayers(line: string): Readonly<Record<string, unknown>> {
  return new Proxy<LayersTarget>({ [UNPARSED]: line }, handler);
}
